import Foundation
import SLACore
import Testing

/// deploy/prometheus and deploy/grafana: the rules pass promtool and their unit tests, every
/// alert has a unit test, and the dashboard is a Grafana dashboard whose panels all query.
@Suite struct MonitoringKitTests {
    static let prometheusDir = CLI.root.appendingPathComponent("deploy/prometheus")
    static let dashboardFile = CLI.root.appendingPathComponent("deploy/grafana/slawatch.json")

    /// Every alert of alerts.yml: name and expression.
    static func alerts() throws -> [(name: String, expr: String)] {
        let path = prometheusDir.appendingPathComponent("alerts.yml").path
        let root = try YAMLNode.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        let groups = try Dictionary(uniqueKeysWithValues: root.mapping())["groups"]!.sequence()
        return try groups.flatMap { g in
            try Dictionary(uniqueKeysWithValues: g.mapping())["rules"]!.sequence().map { r in
                let f = Dictionary(uniqueKeysWithValues: try r.mapping())
                return (try f["alert"]!.string(), try f["expr"]!.string())
            }
        }
    }

    /// Every query of the dashboard, with Grafana's variables given the values a user with
    /// "All" selected would see.
    static func dashboardQueries() throws -> [(panel: String, expr: String)] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dashboardFile)) as! [String: Any]
        let panels = json["panels"] as! [[String: Any]]
        return panels.flatMap { p in
            ((p["targets"] as? [[String: Any]]) ?? []).map { t in
                (p["title"] as! String, (t["expr"] as! String).replacingOccurrences(of: "$unit", with: ".*")
                    .replacingOccurrences(of: "$__rate_interval", with: "1m"))
            }
        }
    }

    static func promtool(_ args: [String]) throws -> (status: Int32, output: String) {
        let binary = ProcessInfo.processInfo.environment["SLAWATCH_PROMTOOL"] ?? "/usr/bin/promtool"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw PrometheusServer.Failure(description: "\(binary) is missing: scripts/bootstrap installs Debian's prometheus package")
        }
        let p = Process(), pipe = Pipe()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = prometheusDir
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    @Test func theRulesPassPromtoolCheckAndTheirUnitTests() throws {
        let check = try Self.promtool(["check", "rules", "alerts.yml"])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("SUCCESS: \(try Self.alerts().count) rules found"), "\(check.output)")
        let test = try Self.promtool(["test", "rules", "alerts.test.yml"])
        #expect(test.status == 0, "\(test.output)")
    }

    @Test func everyAlertHasAUnitTestThatSeesItFire() throws {
        let path = Self.prometheusDir.appendingPathComponent("alerts.test.yml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let root = try YAMLNode.parse(text, file: path)
        var firing = Set<String>()
        for t in try Dictionary(uniqueKeysWithValues: root.mapping())["tests"]!.sequence() {
            for a in try Dictionary(uniqueKeysWithValues: t.mapping())["alert_rule_test"]?.sequence() ?? [] {
                let f = Dictionary(uniqueKeysWithValues: try a.mapping())
                if try !(f["exp_alerts"]?.sequence().isEmpty ?? true) { firing.insert(try f["alertname"]!.string()) }
            }
        }
        let names = Set(try Self.alerts().map(\.name))
        #expect(names.count == 11)
        #expect(names.subtracting(firing).isEmpty, "alerts no unit test sees fire: \(names.subtracting(firing).sorted())")
    }

    @Test func alertSignalsAreEachSideOfTheComparisonThatIsNotANumber() {
        // By hand, from the three shapes the rules use.
        #expect(AlertSignals.of(#"slawatch_sink_failing == 1"#) == ["slawatch_sink_failing"])
        #expect(AlertSignals.of("a - time() < b * 86400") == ["a - time()", "b * 86400"])
        #expect(AlertSignals.of(#"sum by (u) (x{v="missed"}) / sum by (u) (x) > 0.10 and sum by (u) (x) >= 20"#)
                == [#"sum by (u) (x{v="missed"}) / sum by (u) (x)"#, "sum by (u) (x)"])
        #expect(AlertSignals.of(#"up{job="a>b"} == 0"#) == [#"up{job="a>b"}"#])
    }

    @Test func theDashboardIsAGrafanaDashboardOfUniquePanelsThatAllQuery() throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dashboardFile)) as! [String: Any]
        #expect(json["uid"] as? String == "slawatch")
        #expect(json["schemaVersion"] as? Int ?? 0 >= 36)
        let panels = json["panels"] as! [[String: Any]]
        let ids = panels.map { $0["id"] as! Int }
        #expect(Set(ids).count == ids.count, "panel ids repeat")
        for p in panels where p["type"] as? String != "row" {
            #expect(!((p["targets"] as? [[String: Any]]) ?? []).isEmpty, "\(p["title"] ?? "") has no query")
        }
        // What the issue asks the dashboard to show, each by the metric behind it.
        let all = try Self.dashboardQueries().map(\.expr).joined(separator: "\n")
        for metric in ["slawatch_unit_month_overdue", "slawatch_unit_month_verdicts", "slawatch_active_clocks", "slawatch_unresolved_clocks",
                       "slawatch_timer_lateness_seconds_bucket", "slawatch_consumer_lag", "slawatch_restore_duration_seconds",
                       "slawatch_sink_failing", "slawatch_calendar_covered_until_seconds"] {
            #expect(all.contains(metric), "the dashboard does not show \(metric)")
        }
    }
}
