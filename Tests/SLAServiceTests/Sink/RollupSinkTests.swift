import Foundation
import Logging
import Testing
import SLACore
import SLAKafka
@testable import SLAService
import SLATestSupport

/// The PostgreSQL sink against a real server started on loopback by the test.
@Suite(.serialized) struct RollupSinkTests {
    /// Rows of `slawatch_rollups` and `slawatch_scorecards` as key → "revision outcomes met missed overdue callbacks" text.
    static func table(_ pg: PostgresServer) throws -> [String: String] {
        var out: [String: String] = [:]
        for line in try pg.psql("SELECT key, revision, outcomes, met, missed, overdue, callbacks FROM slawatch_rollups").split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            out[f[0]] = f.dropFirst().joined(separator: " ")
        }
        for line in try pg.psql("SELECT month, unit, revision, deductions::float8, grade, assessed FROM slawatch_scorecards").split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            out["scorecard|\(f[0])|\(f[1])"] = "\(f[2]) \(Double(f[3])!) \(f[4]) \(f[5] == "t")"
        }
        for line in try pg.psql("SELECT month, agent, revision, deductions::float8, grade, assessed FROM slawatch_agent_scorecards").split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            out["agent_scorecard|\(f[0])|\(f[1])"] = "\(f[2]) \(Double(f[3])!) \(f[4]) \(f[5] == "t")"
        }
        for line in try pg.psql("SELECT year, view, owner, revision, coalesce(stars, 0), graded_months FROM slawatch_stars").split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            out["stars|\(f[0])|\(f[1])|\(f[2])"] = "\(f[3]) \(f[4]) \(f[5])"
        }
        for line in try pg.psql("SELECT key, revision, verdict, overdue, coalesce(charged_to, '') FROM slawatch_verdicts").split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            out[f[0]] = "\(f[1]) \(f[2]) \(f[3] == "t") \(f[4])"
        }
        return out
    }

    /// The latest record per key of the rollups topic, in the same text form.
    static func topic(_ c: EndToEndCluster) throws -> [String: String] {
        var out: [String: String] = [:]
        for (key, f) in try c.rollups() {
            func n(_ k: String) -> String { "\(f[k] as? Int ?? -1)" }
            if f["record"] as? String == "scorecard" || f["record"] as? String == "agent_scorecard" {
                out[key] = "\(n("revision")) \(f["deductions"] as? Double ?? -1) \(f["grade"] as? String ?? "") \(f["assessed"] as? Bool ?? false)"
            } else if f["record"] as? String == "stars" {
                out[key] = "\(n("revision")) \(f["stars"] as? Int ?? 0) \(n("graded_months"))"
            } else if f["record"] as? String == "verdict" {
                out[key] = "\(n("revision")) \(f["verdict"] as? String ?? "") \(f["overdue"] as? Bool ?? false) \(f["charged_to"] as? String ?? "")"
            } else {
                out[key] = [n("revision"), n("outcomes"), n("met"), n("missed"), n("overdue"), n("callbacks")].joined(separator: " ")
            }
        }
        return out
    }

    static func sink(_ c: EndToEndCluster, _ pg: PostgresServer, group: String? = nil) throws -> RollupSink {
        var config = c.config
        config.worker.postgresURL = pg.url
        if let group { config.worker.groupId = group; config.kafka["group.id"] = group }
        let sink = try RollupSink(config: config)
        try sink.start()
        return sink
    }

    @Test func theTableHoldsTheRollupsNumbersAndAPostgresRestartLosesNothing() throws {
        let c = try EndToEndCluster(partitions: 2)
        let pg = try PostgresServer()
        let worker = try c.startedWorker(policy: try SecondsPolicy.policy())
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        let sink = try Self.sink(c, pg)
        defer { sink.stop(); sink.waitUntilStopped() }
        try c.send(RollupScenario.tickets(c, count: 30, prefix: "P", seed: 4, base: RollupScenario.acrossAnHour(lead: 20_000)))
        var last: ([String: String], [String: String]) = ([:], [:])
        func inStep() throws -> Bool {
            // Before the sink has migrated the database there is no table yet.
            last = ((try? Self.table(pg)) ?? [:], try Self.topic(c))
            return !last.1.isEmpty && last.0 == last.1
        }
        #expect(try EndToEndCluster.waitUntil(seconds: 30, inStep), "table ≠ topic: \(Self.difference(last))")
        #expect(try pg.psql("SELECT version FROM slawatch_schema_migrations ORDER BY version") == "1\n2\n3\n4\n5")
        // The overdue list, counted here from the outcome records alone: cycles whose last verdict
        // is missed, or whose overdue stands (not withdrawn).
        var verdictOf: [String: String] = [:], overdueOf: [String: String] = [:]
        for o in try c.outcomes() {
            guard let id = o.fields["outcome_id"] as? String, let r = o.fields["result"] as? String,
                  let cut = id.range(of: ":sla.", options: .backwards)?.lowerBound else { continue }
            let cycle = String(id[..<cut])
            if ["met", "missed", "voided"].contains(r) { verdictOf[cycle] = r }
            if ["overdue", "retracted"].contains(r) { overdueOf[cycle] = r }
        }
        let listed = Set(Set(verdictOf.keys).union(overdueOf.keys).filter { verdictOf[$0] == "missed" || overdueOf[$0] == "overdue" })
        #expect(!listed.isEmpty)
        let rows = try pg.psql("SELECT subject_type || ':' || subject_id || ':' || stage || '@' || to_char(started_at AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS.MS\"Z\"') FROM slawatch_overdue_list")
        func bare(_ s: String) -> String { s.replacingOccurrences(of: #"\.000Z|\.(\d+)Z"#, with: "Z", options: .regularExpression) }
        #expect(Set(rows.split(separator: "\n").map { bare(String($0)) }) == Set(listed.map(bare)), "the overdue list")
        // The ranking holds exactly the graded scorecards, ranked by score within the month.
        let graded = try c.rollups().values.filter { $0["record"] as? String == "scorecard" && $0["graded"] as? Bool == true }
        #expect(try pg.psql("SELECT count(*) FROM slawatch_unit_ranking") == "\(graded.count)")
        let best = graded.map { $0["score"] as? Double ?? 0 }.max()
        if let best { #expect(try pg.psql("SELECT min(score)::float8 FROM slawatch_unit_ranking WHERE rank = 1") == String(format: "%g", best)) }
        let assessed = try pg.psql("SELECT unit FROM slawatch_units_to_assess ORDER BY unit").split(separator: "\n").map(String.init)
        #expect(assessed == last.1.filter { $0.key.hasPrefix("scorecard|") && $0.value.hasSuffix("true") }.keys.map { String($0.split(separator: "|")[2]) }.sorted())

        // PostgreSQL goes away while outcomes keep coming; the clocks and rollups go on.
        pg.stop()
        try c.send(RollupScenario.tickets(c, count: 30, prefix: "Q", seed: 5, base: RollupScenario.acrossAnHour(lead: 10_000)))
        #expect(EndToEndCluster.waitUntil(seconds: 20) { sink.stats.failing }, "the sink notices")
        let consumedWhileDown = worker.stats.consumed
        #expect(consumedWhileDown > 0 && worker.isReady, "the worker is not held up by the database")
        try pg.start()
        #expect(try EndToEndCluster.waitUntil(seconds: 60, inStep), "after the restart: \(Self.difference(last))")
        #expect(last.0.keys.contains { $0.contains("|repair.dispatch|") } && sink.stats.failures > 0)

        // A replay of the whole topic (another group, from the start) changes no row.
        let before = try Self.table(pg)
        let replay = try Self.sink(c, pg, group: "replay-sink")
        defer { replay.stop(); replay.waitUntilStopped() }
        #expect(EndToEndCluster.waitUntil(seconds: 30) { replay.stats.stored >= before.count })
        #expect(try Self.table(pg) == before)
    }

    static func difference(_ p: ([String: String], [String: String])) -> String {
        let keys = Set(p.0.keys).union(p.1.keys).filter { p.0[$0] != p.1[$0] }.sorted().prefix(5)
        return "\(keys.count) keys differ, e.g. " + keys.map { "\($0): table \(p.0[$0] ?? "-") topic \(p.1[$0] ?? "-")" }.joined(separator: "; ")
    }
}
