import Foundation
import SLACore
import Testing
import SLAKafka
@testable import SLAService
import SLATestSupport

extension AssessmentMonthTests {
    /// Replay is the daemon's twin. The month waits on the tickets topic before the worker
    /// starts, so the daemon takes it as a backlog — each event judged at its own time, as
    /// replay's virtual clock judges it — and the rollups topic it leaves (the latest record per
    /// key) equals, record for record and revision for revision, what `ReplayEngine` gives for
    /// the same input, `as_of` aside.
    @Test func theDaemonAndReplayPublishTheSameRollupsScorecardsVerdictRowsAndStars() throws {
        let month = AssessmentMonth()
        let c = try EndToEndCluster(partitions: 2)
        var config = c.config
        config.worker.rollupRetention = .days(400)
        try c.send(month.events.map { ($0.key, Array($0.json.utf8)) })
        let worker = try SLAWorker(config: config, policy: try DefaultFiles.policy(), calendar: try DefaultFiles.calendar(), clock: SystemClock())
        try worker.start()
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        #expect(EndToEndCluster.waitUntil(seconds: 120) { worker.isReady && worker.stats.consumed >= month.events.count })
        let replayed = try Self.replayedRollups(month.events, until: SystemClock.read(), retention: .days(400))
        var published: [String: String] = [:]
        #expect(try EndToEndCluster.waitUntil(seconds: 90) {
            published = try c.rollups().mapValues { var o = $0; return Self.normalized(&o) }
            return published == replayed
        }, "replay ≠ daemon: \(Self.difference(replayed, published))")
        for kind in ["rollup", "scorecard", "agent_scorecard", "verdict", "stars"] {
            #expect(replayed.values.contains { $0.contains("\"record\":\"\(kind)\"") }, "some \(kind) records compared")
        }
    }

    /// The rollups topic a replay of `events` would leave (the latest record per key, `as_of`
    /// dropped): the same tracker, outcomes and rollup book, on the virtual clock instead of
    /// the daemon's, moved on to `until` so the clocks the daemon fired on arrival fire too.
    static func replayedRollups(_ events: [(key: String, json: String)], until: Timestamp, retention: TimeSpan) throws -> [String: String] {
        let calendar = try DefaultFiles.calendar(), policy = try DefaultFiles.policy()
        var engine = ReplayEngine(tracker: SLATracker(policy: policy, calendar: calendar),
                                  rollups: RollupBook(calendar: calendar, rule: policy.scorecard, retention: retention))
        for e in events { _ = try engine.feed(try EventDecoder.any(Array(e.json.utf8))) }
        _ = engine.advance(to: until)
        let taken = engine.takeRollups()
        let changes = try #require(taken)
        let at = engine.clock!
        var out: [String: String] = [:]
        for (key, cell) in changes.cells { out[key.text] = normalized(cell.json(key, calendar: calendar, asOf: at)) }
        for s in changes.scorecards { out[s.keyText] = normalized(s.json(calendar: calendar, asOf: at)) }
        for v in changes.verdicts { out[v.keyText] = normalized(v.json(calendar: calendar, asOf: at)) }
        for r in changes.stars { out[r.keyText] = normalized(r.json(calendar: calendar, asOf: at)) }
        return out
    }

    /// The first keys two topics differ in, with both values.
    static func difference(_ a: [String: String], _ b: [String: String]) -> String {
        let only = Set(a.keys).symmetricDifference(b.keys).sorted().prefix(3)
        let unequal = a.keys.filter { b[$0] != nil && b[$0] != a[$0] }.sorted().prefix(2).map { "\($0): \(a[$0]!) vs \(b[$0]!)" }
        return "\(a.count) vs \(b.count) keys; in one only: \(only); unequal: \(unequal)"
    }

    /// A record's JSON with its keys sorted and `as_of` (when it was published) dropped.
    static func normalized(_ bytes: [UInt8]) -> String {
        guard var o = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { return "not JSON" }
        return normalized(&o)
    }

    static func normalized(_ o: inout [String: Any]) -> String {
        o["as_of"] = nil
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
