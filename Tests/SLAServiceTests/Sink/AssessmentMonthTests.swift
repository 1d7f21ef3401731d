import Foundation
import Testing
import SLACore
import SLAKafka
@testable import SLAService
import SLATestSupport

/// A generated month of tickets through the daemon (shipped policy) into the rollups topic and
/// PostgreSQL: every figure compared with what ``AssessmentMonth`` computes from its own
/// choices; then a repeat of the whole input changes no row, and a corrected verdict revises the
/// scorecard, the rank and the cycle's row.
@Suite(.serialized) struct AssessmentMonthTests {
    typealias Figures = AssessmentMonth.Figures

    /// Figures per owner summed over the month cells of a set of rollup records (topic JSON or table rows).
    static func figures(_ cells: [[String: Any]], label: String, grain: String = "month") -> [String: Figures] {
        var out: [String: Figures] = [:]
        func n(_ c: [String: Any], _ k: String) -> Int { (c[k] as? Int) ?? (c[k] as? NSNumber)?.intValue ?? 0 }
        for c in cells where c["record"] as? String == "rollup" && c["grain"] as? String == grain && c["window"] as? String == label {
            let view = c["view"] as? String ?? ""
            let owner = "\(view)|\((view == "unit" ? c["unit"] : c["agent"]) as? String ?? "")"
            let stage = c["stage"] as? String ?? ""
            var f = out[owner] ?? Figures()
            if !stage.isEmpty, n(c, "met") + n(c, "missed") + n(c, "overdue") > 0 {
                // An agent's stage cells carry its verdicts; its all-stages cell carries the same again.
                var s = f.stages[stage] ?? [0, 0, 0]
                s[0] += n(c, "met"); s[1] += n(c, "missed"); s[2] += n(c, "overdue")
                f.stages[stage] = s
            }
            // Volumes and callbacks: every unit cell; an agent's all-stages cell only.
            if view == "unit" || stage.isEmpty {
                f.received += n(c, "received"); f.handled += n(c, "handled"); f.answered += n(c, "answered")
                f.firstTime += n(c, "first_time"); f.sentBack += n(c, "sent_back"); f.reopened += n(c, "reopened")
                f.closed += n(c, "closed"); f.callbacks += n(c, "callbacks"); f.scored += n(c, "satisfaction_count")
                f.satisfied += n(c, "satisfied")
                f.scoreSum += Int(((c["satisfaction_avg"] as? Double) ?? 0) * Double(n(c, "satisfaction_count")) + 0.5)
            }
            out[owner] = f
        }
        return out
    }

    /// `slawatch_rollups` rows as the topic's JSON fields, for ``figures(_:label:grain:)``.
    static func tableCells(_ pg: PostgresServer) throws -> [[String: Any]] {
        let cols = ["view", "grain", "window_label", "unit", "agent", "stage", "met", "missed", "overdue", "received", "handled", "answered",
                    "first_time", "sent_back", "reopened", "closed", "callbacks", "satisfaction_count", "satisfied", "satisfaction_avg"]
        // `~` for null: psql's output is trimmed, which would drop a last empty column.
        let sql = "SELECT " + cols.map { "coalesce(\($0)::text, '~')" }.joined(separator: ", ") + " FROM slawatch_rollups"
        return try pg.psql(sql).split(separator: "\n").map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0 == "~" ? "" : String($0) }
            var c: [String: Any] = ["record": "rollup"]
            for (i, name) in cols.enumerated() {
                let key = name == "window_label" ? "window" : name
                if i < 6 { if !f[i].isEmpty { c[key] = f[i] } } else if name == "satisfaction_avg" { c[key] = Double(f[i]) } else { c[key] = Int(f[i]) ?? 0 }
            }
            return c
        }
    }

    /// Every row of every table, as text: what a repeat must leave alone.
    static func snapshot(_ pg: PostgresServer) throws -> [String] {
        // Ordered by the whole key, and no null last (psql's output is trimmed).
        try ["SELECT key, revision FROM slawatch_rollups ORDER BY 1", "SELECT month, unit, revision, score FROM slawatch_scorecards ORDER BY 1, 2",
             "SELECT month, agent, revision, score FROM slawatch_agent_scorecards ORDER BY 1, 2",
             "SELECT year, view, owner, revision, coalesce(stars, 0) FROM slawatch_stars ORDER BY 1, 2, 3",
             "SELECT key, revision, verdict, overdue FROM slawatch_verdicts ORDER BY 1"].map { try pg.psql($0) }
    }

    @Test func aGeneratedMonthGivesEveryFigureTheTestComputesOnTheTopicAndInPostgreSQL() throws {
        let month = AssessmentMonth()
        let c = try EndToEndCluster(partitions: 2)
        let pg = try PostgresServer()
        var config = c.config
        // The month is last month: keep its slots whatever today's date (the default 40 days may not reach its 1st).
        config.worker.rollupRetention = .days(400)
        let worker = try SLAWorker(config: config, policy: try DefaultFiles.policy(), calendar: try DefaultFiles.calendar(), clock: SystemClock())
        try worker.start()
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        try c.warmUp(worker)
        config.worker.postgresURL = pg.url
        let sink = try RollupSink(config: config)
        try sink.start()
        defer { sink.stop(); sink.waitUntilStopped() }
        try c.send(month.events.map { ($0.key, Array($0.json.utf8)) })

        let expected = month.figures
        var onTopic: [String: Figures] = [:]
        #expect(try EndToEndCluster.waitUntil(seconds: 120) {
            onTopic = Self.figures(Array(try c.rollups().values), label: month.label)
            return expected.allSatisfy { onTopic[$0.key] == $0.value }
        }, "topic ≠ expected: \(Self.difference(expected, onTopic))")
        #expect(try c.deadLetters().isEmpty, "every generated event is valid")
        #expect(worker.stats.unattributedOutcomes == 1, "the consultation without a unit, and nothing else")
        #expect(Set(onTopic.keys) == Set(expected.keys), "no owner more, none less")

        // Scorecards, stars, quarter and year on the topic.
        let latest = try c.rollups()
        func record(_ key: String) -> [String: Any]? { latest[key] }
        let year = String(month.label.prefix(4)), quarter = year + "-Q\((Int(month.label.suffix(2))! + 2) / 3)"
        let quarterFigures = Self.figures(Array(latest.values), label: quarter, grain: "quarter")
        let yearFigures = Self.figures(Array(latest.values), label: year, grain: "year")
        for (owner, e) in expected {
            let parts = owner.split(separator: "|").map(String.init)
            let card = try #require(record("\(parts[0] == "unit" ? "scorecard" : "agent_scorecard")|\(month.label)|\(parts[1])"), "\(owner) scorecard")
            #expect(abs((card["score"] as? Double ?? -1) - e.score) < 0.001, "\(owner) score \(card["score"] ?? "-") vs \(e.score)")
            #expect(card["grade"] as? String == e.grade && card["graded"] as? Bool == e.graded && card["assessed"] as? Bool == e.assessed, "\(owner)")
            #expect(card["verdicts"] as? Int == e.verdicts && card["missed"] as? Int == e.missed, "\(owner)")
            let stars = try #require(record("stars|\(year)|\(parts[0])|\(parts[1])"), "\(owner) stars")
            #expect(stars["stars"] as? Int == e.stars && (stars["graded_months"] as? Int ?? -1) == (e.graded ? 1 : 0), "\(owner) stars \(stars)")
            // Nothing else of the quarter or year counts for these owners: the same figures.
            #expect(quarterFigures[owner] == e && yearFigures[owner] == e, "\(owner) quarter and year")
        }

        // PostgreSQL holds the same, figure by figure, once the sink is in step.
        var inTable: [String: Figures] = [:]
        #expect(EndToEndCluster.waitUntil(seconds: 60) {
            inTable = Self.figures((try? Self.tableCells(pg)) ?? [], label: month.label)
            return expected.allSatisfy { inTable[$0.key] == $0.value }
        }, "table ≠ expected: \(Self.difference(expected, inTable))")
        for (owner, e) in expected {
            let parts = owner.split(separator: "|").map(String.init)
            let table = parts[0] == "unit" ? "slawatch_scorecards" : "slawatch_agent_scorecards"
            let row = try pg.psql("SELECT score::float8, grade, graded, assessed FROM \(table) WHERE month = '\(month.label)' AND \(parts[0]) = '\(parts[1])'")
            let f = row.split(separator: "\t").map(String.init)
            #expect(f.count == 4 && abs((Double(f[0]) ?? -1) - e.score) < 0.001 && f[1] == e.grade && f[2] == (e.graded ? "t" : "f") && f[3] == (e.assessed ? "t" : "f"),
                    "\(owner) in \(table): \(row)")
            let stars = try pg.psql("SELECT coalesce(stars, 0), graded_months FROM slawatch_stars WHERE year = '\(year)' AND view = '\(parts[0])' AND owner = '\(parts[1])'")
            #expect(stars == "\(e.stars ?? 0)\t\(e.graded ? 1 : 0)", "\(owner) stars in the table")
        }
        // The ranking (排名): graded units by score, ties sharing a rank.
        let units = expected.filter { $0.key.hasPrefix("unit|") && $0.value.graded }
        let ranks = units.map { u in "\(u.key.dropFirst(5)) \(1 + units.values.filter { $0.score > u.value.score + 0.0005 }.count)" }.sorted()
        #expect(try pg.psql("SELECT unit || ' ' || rank FROM slawatch_unit_ranking WHERE month = '\(month.label)' ORDER BY 1").split(separator: "\n").map(String.init) == ranks)
        #expect(units.count >= 4 && expected.contains { !$0.value.graded }, "graded units to rank and one too small to grade")
        // The ticket-level rows: every stage cycle with its verdict and whether its overdue stands.
        let rows = try pg.psql("SELECT stage || ' ' || verdict || ' ' || CASE WHEN overdue THEN 'true' ELSE 'false' END FROM slawatch_verdicts WHERE month = '\(month.label)'")
        var counted: [String: Int] = [:]
        for r in rows.split(separator: "\n") { counted[String(r), default: 0] += 1 }
        #expect(counted == month.cycles, "verdict rows")
        let listed = try pg.psql("SELECT count(*) FROM slawatch_overdue_list WHERE month = '\(month.label)'")
        #expect(listed == "\(month.cycles.filter { $0.key.contains(" missed ") }.values.reduce(0, +))", "the overdue list is every missed cycle")

        // A repeat of the whole input (at-least-once) leaves every row as it is — once the first
        // pass has settled (the same rows two seconds apart).
        var before = try Self.snapshot(pg)
        _ = try EndToEndCluster.waitUntil(seconds: 30) {
            Thread.sleep(forTimeInterval: 2)
            let now = try Self.snapshot(pg)
            defer { before = now }
            return now == before
        }
        let consumed = worker.stats.consumed
        try c.send(month.events.map { ($0.key, Array($0.json.utf8)) })
        #expect(EndToEndCluster.waitUntil(seconds: 60) { worker.stats.consumed >= consumed + month.events.count })
        Thread.sleep(forTimeInterval: 3)  // what the repeat would publish has had time to reach the table
        let repeated = try Self.snapshot(pg)
        let changed = zip(before, repeated).flatMap { b, r in Set(r.split(separator: "\n")).symmetricDifference(b.split(separator: "\n")).sorted().prefix(4) }
        #expect(repeated == before, "a repeat changed rows: \(changed)")

        // A late correction of one verdict: GDS-B's first missed arrival was in time after all.
        let missed = try #require(try c.outcomes().first {
            ($0.fields["outcome_id"] as? String ?? "").hasPrefix("ticket:M-GDS-B-F1:repair.arrival@") && $0.fields["result"] as? String == "missed"
        })
        var fixed = missed.fields
        fixed["result"] = "met"
        fixed["outcome_id"] = (missed.fields["outcome_id"] as! String).replacingOccurrences(of: ":sla.missed@", with: ":sla.met@")
        let oldCard = try pg.psql("SELECT revision, score::float8 FROM slawatch_scorecards WHERE month = '\(month.label)' AND unit = 'GDS-B'")
        try c.send([(missed.key, Array(try JSONSerialization.data(withJSONObject: fixed)))], topic: c.settings.outcomesTopic)
        var b = expected["unit|GDS-B"]!
        b.stages["repair.arrival"]![0] += 1; b.stages["repair.arrival"]![1] -= 1  // the overdue still stands: it was raised
        let cycleKey = "verdict|ticket|M-GDS-B-F1|" + (missed.fields["outcome_id"] as! String).split(separator: ":")[2]
        #expect(EndToEndCluster.waitUntil(seconds: 30) {
            let s = (try? pg.psql("SELECT score::float8 FROM slawatch_scorecards WHERE month = '\(month.label)' AND unit = 'GDS-B'")) ?? ""
            return abs((Double(s) ?? -1) - b.score) < 0.001
        }, "GDS-B's score after the correction is \(b.score)")
        let newCard = try pg.psql("SELECT revision, score::float8 FROM slawatch_scorecards WHERE month = '\(month.label)' AND unit = 'GDS-B'")
        #expect(Int(newCard.split(separator: "\t")[0])! > Int(oldCard.split(separator: "\t")[0])!, "a higher revision: \(oldCard) → \(newCard)")
        var after = expected.filter { $0.key.hasPrefix("unit|") && $0.value.graded }
        after["unit|GDS-B"] = b
        let reranked = after.map { u in "\(u.key.dropFirst(5)) \(1 + after.values.filter { $0.score > u.value.score + 0.0005 }.count)" }.sorted()
        #expect(try pg.psql("SELECT unit || ' ' || rank FROM slawatch_unit_ranking WHERE month = '\(month.label)' ORDER BY 1").split(separator: "\n").map(String.init) == reranked)
        let row = try pg.psql("SELECT verdict, overdue, revision FROM slawatch_verdicts WHERE key = '\(cycleKey)'")
        #expect(row.hasPrefix("met\tt\t") && (Int(row.split(separator: "\t")[2]) ?? 0) >= 3, "the cycle's row: \(row) (\(cycleKey))")
    }

    static func difference(_ e: [String: Figures], _ got: [String: Figures]) -> String {
        let keys = Set(e.keys).union(got.keys).filter { e[$0] != got[$0] }.sorted().prefix(3)
        return "\(keys.count) owners differ, e.g. " + keys.map { "\($0): expected \(e[$0].map { "\($0)" } ?? "-") got \(got[$0].map { "\($0)" } ?? "-")" }.joined(separator: "; ")
    }
}
