import Foundation
import Testing
import SLACore
import SLAKafka
import SLAService
import SLATestSupport

/// End-to-end: outcomes flow from the clocks to the rollup stage and out as rollup records
/// (the scenario and its independent count: ``RollupScenario``).
@Suite(.serialized) struct RollupStageTests {
    @Test func rollupsOnTheTopicEqualWhatTheOutcomesAddUpToAcrossACorrectionAndARestart() throws {
        let c = try EndToEndCluster(partitions: 2)
        let calendar = try DefaultFiles.calendar()
        var worker = try c.startedWorker(policy: try SecondsPolicy.policy())
        let base = RollupScenario.acrossAnHour(lead: 20_000)
        try c.send(RollupScenario.tickets(c, count: 40, prefix: "R", seed: 1, base: base))
        // The correction: dispatched late (missed), then a late event with an earlier dispatch.
        func l(_ action: String, _ ms: Int64, _ ev: String) -> (key: String?, value: [UInt8]) {
            ("L", c.ticket("L", action, at: base.adding(TimeSpan(milliseconds: ms)), eventId: ev, extra: #""agent":"A1""#))
        }
        try c.send([l("created", 0, "l1"), l("dispatched", 4000, "l2")])
        var last = (false, "")
        _ = try EndToEndCluster.waitUntil(seconds: 20) { last = try RollupScenario.check(c, calendar: calendar); return last.0 }
        #expect(last.0, "\(last.1)")
        try c.send([l("dispatched", 1000, "l3")])
        _ = try EndToEndCluster.waitUntil(seconds: 20) {
            try c.outcomes().contains { ($0.fields["outcome_id"] as? String)?.hasPrefix("ticket:L:repair.dispatch@") == true && $0.fields["result"] as? String == "met" }
        }
        // A new owner restores the cells from the rollup changelog and counts on from there.
        worker.stop()
        #expect(throws: Never.self) { try worker.waitUntilStopped().get() }
        worker = try c.startedWorker(policy: try SecondsPolicy.policy())
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        try c.send(RollupScenario.tickets(c, count: 20, prefix: "S", seed: 2, base: RollupScenario.acrossAnHour(lead: 10_000)))
        _ = try EndToEndCluster.waitUntil(seconds: 20) { last = try RollupScenario.check(c, calendar: calendar); return last.0 }
        #expect(last.0, "\(last.1)")
        let rollups = try c.rollups()
        let lDay = "unit|day|\(RollupWindow.of(base, .day, calendar: calendar).label)|U1|fault_repair|repair.dispatch|urban"
        let day = try #require(rollups[lDay])
        #expect((day["revision"] as? Int ?? 0) > (day["outcomes"] as? Int ?? 0), "the correction took a verdict out: more revisions than outcomes")
        // Scorecards: one per unit and month, with the standard deductions.
        for unit in ["U1", "U2", "U3"] {
            let month = RollupWindow.of(base, .month, calendar: calendar).label
            let cells = rollups.filter { $0.key.hasPrefix("unit|month|\(month)|\(unit)|") }.map(\.value)
            // The standard rule (rate): per stage, a point per percentage point of on-time rate
            // below 100 %, at most 30; the unit graded from 10 verdicts.
            var byStage: [String: (met: Int, missed: Int)] = [:]
            for c in cells {
                let s = c["stage"] as? String ?? ""
                byStage[s, default: (0, 0)].met += c["met"] as? Int ?? 0
                byStage[s, default: (0, 0)].missed += c["missed"] as? Int ?? 0
            }
            let deductions = byStage.values.reduce(0.0) { sum, s in
                s.met + s.missed == 0 ? sum : sum + min(30, (1 - Double(s.met) / Double(s.met + s.missed)) * 100)
            }
            let verdicts = byStage.values.reduce(0) { $0 + $1.met + $1.missed }
            let card = try #require(rollups["scorecard|\(month)|\(unit)"], "scorecard of \(unit)")
            #expect(abs((card["deductions"] as? Double ?? -1) - deductions) < 0.002 && abs((card["score"] as? Double ?? -1) - max(0, 100 - deductions)) < 0.002, "\(unit)")
            #expect(card["graded"] as? Bool == (verdicts >= 10) && card["verdicts"] as? Int == verdicts, "\(unit)")
        }
    }

    @Test func aMalformedOutcomeIsDeadLetteredAndTheRestCounted() throws {
        let c = try EndToEndCluster(partitions: 2)
        let worker = try c.startedWorker(policy: try SecondsPolicy.policy())
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        try c.send([("U1", Array(#"{"outcome_id":"x","result":"splendid","ticket_id":"T","kind":"fault_repair","stage":"s","at":"2026-11-20T08:00:00+08:00","unit":"U1"}"#.utf8))], topic: c.settings.outcomesTopic)
        try c.send(RollupScenario.tickets(c, count: 5, prefix: "M", seed: 3, base: RollupScenario.acrossAnHour(lead: 20_000)))
        var dead: [ConsumerRecord] = []
        let calendar = try DefaultFiles.calendar()
        let settled = try EndToEndCluster.waitUntil(seconds: 15) {
            dead = try c.deadLetters()
            let counted = try RollupScenario.check(c, calendar: calendar).0
            return !dead.isEmpty && counted
        }
        #expect(settled)
        let reason = dead.first?.headers.first { $0.name == "slawatch.reason" }?.value.map { String(decoding: $0, as: UTF8.self) }
        #expect(reason?.contains("result") == true, "\(reason ?? "no reason")")
    }
}
