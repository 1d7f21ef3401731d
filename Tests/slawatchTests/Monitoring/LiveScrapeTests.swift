import Foundation
import Testing
import SLACore
import SLAKafka
import SLAService
import SLATestSupport

/// A real Prometheus scraping a running `slawatch run`: every dashboard query and every alert
/// expression's signal returns a series, every rule evaluates without error, and the per-unit
/// month gauges carry the figures of the scenario, counted by hand.
@Suite struct LiveScrapeTests {
    @Test func everyDashboardQueryAndAlertSignalReturnsASeriesFromARunningDaemon() throws {
        let c = try EndToEndCluster(partitions: 2)
        let config = try RunCommandTests.files(c)
        let http = LoopbackPort.unused()
        // A sink pointed at a port where no PostgreSQL listens: the sink fails, as its alert says.
        let closed = LoopbackPort.unused()
        try (try String(contentsOfFile: config, encoding: .utf8)
             + "  http_listen: 127.0.0.1:\(http)\n  postgres_url: postgres://slawatch@127.0.0.1:\(closed)/slawatch?sslmode=disable\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try RunCommandTests.Daemon(config: config)
        defer { _ = daemon.terminate() }
        #expect(EndToEndCluster.waitUntil(seconds: 30) { HTTPGet.fetch("http://127.0.0.1:\(http)/readyz")?.status == 200 },
                "\(daemon.process.isRunning ? "" : daemon.output.suffix(3000))")
        let prometheus = try PrometheusServer(targets: ["127.0.0.1:\(http)"],
                                              ruleFiles: [MonitoringKitTests.prometheusDir.appendingPathComponent("alerts.yml").path])
        defer { prometheus.stop() }

        // The scenario (SecondsPolicy: dispatch within 2 s, arrival within 3 s of dispatch; all of unit U1):
        //   A created at 0, dispatched at 0.5 → dispatch met;          arrival overdue at 3.5 (stands)
        //   B created at 0                     → dispatch overdue at 2 (stands)
        //   C created at 0, dispatched at 2.5  → dispatch overdue at 2, then missed; arrival overdue at 5.5
        // U1's month so far: 1 met, 1 missed, 4 overdues that stand. Plus one record that is not JSON.
        let t0 = SystemClock.read()
        try c.send([("A", c.ticket("A", "created", at: t0)), ("B", c.ticket("B", "created", at: t0)), ("C", c.ticket("C", "created", at: t0)),
                    ("bad", Array("not an event".utf8))])
        Thread.sleep(until: Date(timeIntervalSinceNow: 0.5))
        try c.send([("A", c.ticket("A", "dispatched", at: t0.adding(TimeSpan(milliseconds: 500))))])
        Thread.sleep(until: Date(timeIntervalSinceNow: 2.0))
        try c.send([("C", c.ticket("C", "dispatched", at: t0.adding(TimeSpan(milliseconds: 2500))))])

        func value(_ q: String) -> String? { (try? prometheus.query(q))?.first?.value }
        let figures = EndToEndCluster.waitUntil(seconds: 40) {
            value(#"slawatch_unit_month_overdue{unit="U1"}"#) == "4"
                && value(#"slawatch_unit_month_verdicts{unit="U1",verdict="met"}"#) == "1"
                && value(#"slawatch_unit_month_verdicts{unit="U1",verdict="missed"}"#) == "1"
        }
        #expect(figures, """
            U1 overdue \(value(#"slawatch_unit_month_overdue{unit="U1"}"#) ?? "none"), \
            met \(value(#"slawatch_unit_month_verdicts{unit="U1",verdict="met"}"#) ?? "none"), \
            missed \(value(#"slawatch_unit_month_verdicts{unit="U1",verdict="missed"}"#) ?? "none")
            """)
        let month = try prometheus.query(#"slawatch_unit_month_overdue{unit="U1"}"#).first?.labels["month"]
        let local = try DefaultFiles.calendar().localDate(of: t0)
        #expect(month == String(format: "%04d-%02d", local.year, local.month))
        let score = Double(value(#"slawatch_unit_month_score{unit="U1"}"#) ?? "") ?? -1
        #expect((0...100).contains(score))
        #expect(value("slawatch_ready") == "1")
        // The consumer-lag gauge comes from librdkafka's statistics every 10 s; the sink has
        // tried the closed port by now.
        #expect(EndToEndCluster.waitUntil(seconds: 30) {
            !((try? prometheus.query("slawatch_consumer_lag")) ?? []).isEmpty && value("slawatch_sink_failing") == "1"
        }, "lag series: \((try? prometheus.query("slawatch_consumer_lag"))?.count ?? 0), sink failing: \(value("slawatch_sink_failing") ?? "none")")

        var empty: [String] = []
        for (panel, expr) in try MonitoringKitTests.dashboardQueries() where try prometheus.query(expr).isEmpty {
            empty.append("dashboard \"\(panel)\": \(expr)")
        }
        for (name, expr) in try MonitoringKitTests.alerts() {
            for signal in AlertSignals.of(expr) where try prometheus.query(signal).isEmpty { empty.append("alert \(name): \(signal)") }
        }
        #expect(empty.isEmpty, "no series:\n\(empty.joined(separator: "\n"))")
        // The sink alert's whole expression holds now (its `for:` would make it fire in 10 minutes).
        let sinkExpr = try MonitoringKitTests.alerts().first { $0.name == "SlawatchSinkFailing" }!.expr
        #expect(try prometheus.query(sinkExpr).count == 1)
        // Every rule evaluates without error (a type mismatch in a rule shows only here).
        let healthy = EndToEndCluster.waitUntil(seconds: 10) { ((try? prometheus.rules()) ?? []).allSatisfy { $0.health == "ok" } }
        let unhealthy = try prometheus.rules().filter { $0.health != "ok" }
        #expect(healthy, "\(unhealthy)")
        #expect(try prometheus.rules().count == MonitoringKitTests.alerts().count)
    }
}
