import Foundation
import Testing

/// `slawatch replay --emit … --summary`: the outcomes, rollups and scorecards of four urban
/// fault repairs whose figures are worked out by hand below.
@Suite struct ReplayAssessmentTests {
    /// Four urban tickets of GDS-X, all accepted at 08:00 and dispatched at 08:03 (arrival due
    /// 08:48 = 08:03 + 45 min; the whole wait due 08:50 = 08:00 + 50 min), arriving at 08:41,
    /// 08:47, 08:50 and 08:58, each reporting on site to county and city 5 minutes later.
    static let arrivals = ["08:41", "08:47", "08:50", "08:58"]

    static func input() -> Data {
        var lines: [(at: String, text: String)] = []
        for (i, arrived) in arrivals.enumerated() {
            let t = "T-\(i + 1)"
            func line(_ n: Int, _ action: String, _ at: String, _ extra: String = "") {
                lines.append((at, #"{"event_id":"\#(t)-\#(n)","ticket_id":"\#(t)","kind":"fault_repair","action":"\#(action)","occurred_at":"2026-09-30T\#(at):00+08:00","unit":"GDS-X","region":"urban""# + extra + "}"))
            }
            line(1, "created", "08:00", #","agent":"A1""#)
            line(2, "dispatched", "08:03")
            line(3, "arrived", arrived)
            let (h, m) = (Int(arrived.prefix(2))!, Int(arrived.suffix(2))! + 5)
            let report = String(format: "%02d:%02d", h + m / 60, m % 60)
            line(4, "onsite_reported", report, #","reported_to":"county""#)
            line(5, "onsite_reported", report, #","reported_to":"city""#)
        }
        // In time order, as the stream would carry them (stable: a ticket's own order kept).
        let sorted = lines.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element.text)
        return Data((sorted.joined(separator: "\n") + "\n").utf8)
    }

    private func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test func printsOutcomesRollupsAndScorecardsWorkedOutByHand() throws {
        let r = try CLI.run(["replay", "--emit", "outcomes,rollups,scorecards", "--summary"], stdin: Self.input())
        #expect(r.status == 0, "\(r.stderr)")
        let records = try objects(r.stdout)
        #expect(!records.contains { ($0["type"] as? String ?? "").hasPrefix("sla.") }, "no SLA events: not asked for")
        // Outcomes: per ticket received, dispatch, arrival, commitment and two on-site reports (6);
        // an overdue for each of the two late arrivals. The return clock (no alarms) is voided by
        // the arrival without a word: no event, no outcome.
        let outcomes = records.filter { $0["outcome_id"] != nil }
        #expect(outcomes.count == 4 * 6 + 2)
        #expect(outcomes.filter { $0["result"] as? String == "overdue" }.map { $0["ticket_id"] as! String }.sorted() == ["T-3", "T-4"])
        // The month cell of GDS-X's arrivals: 38 and 44 min in time, 47 and 55 late.
        let arrival = try #require(records.first { $0["record"] as? String == "rollup" && $0["grain"] as? String == "month"
            && $0["view"] as? String == "unit" && $0["unit"] as? String == "GDS-X" && $0["stage"] as? String == "repair.arrival" })
        #expect(arrival["met"] as? Int == 2 && arrival["missed"] as? Int == 2 && arrival["overdue"] as? Int == 2)
        // Rows of the ticket-level list: one per arrival cycle; the late ones overdue.
        let rows = records.filter { $0["record"] as? String == "verdict" && $0["stage"] as? String == "repair.arrival" }
        #expect(rows.map { "\($0["subject_id"] ?? "-") \($0["verdict"] ?? "-") \(($0["overdue"] as? Bool) == true ? 1 : 0)" }.sorted() == ["T-1 met 0", "T-2 met 0", "T-3 missed 1", "T-4 missed 1"])
        // The scorecard under `rate` (1 point per percentage point short of 100 %, capped at 30):
        // arrival 50 % → 30 (capped), commitment 3 of 4 (08:50 is exactly in time) → 25, the
        // on-site reports 8 of 8 → 0: 100 − 55 = 45, graded (16 verdicts ≥ 10), fail.
        let card = try #require(records.first { $0["record"] as? String == "scorecard" && $0["unit"] as? String == "GDS-X" })
        #expect(card["verdicts"] as? Int == 16 && card["missed"] as? Int == 3)
        #expect(abs((card["score"] as? Double ?? -1) - 45) < 0.001 && card["grade"] as? String == "fail")
        // The centre's four dispatches (3 min of 5) are too few to grade.
        let centre = try #require(records.first { $0["record"] as? String == "scorecard" && $0["unit"] as? String == "95598" })
        #expect(centre["verdicts"] as? Int == 4 && centre["grade"] as? String == "insufficient_volume")
        #expect(records.contains { $0["record"] as? String == "agent_scorecard" && $0["agent"] as? String == "A1" })
        #expect(records.contains { $0["record"] as? String == "stars" && $0["unit"] as? String == "GDS-X" && $0["stars"] as? Int == 1 })
        // Rollups and scorecards come at the end, sorted by key, after every outcome.
        let tail = records.drop { $0["outcome_id"] != nil }
        #expect(tail.count == records.count - outcomes.count, "outcomes first, then the rollups topic's records")
        // The summary: GDS-X ranked 1st (the only graded unit), its stages under it.
        let lines = r.stderr.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("2026-09 GDS-X 16 81.2 % 2 55.0 45.0 1 fail"), "\(r.stderr)")
        #expect(lines.contains("repair.arrival 4 50.0 % 2 30.0"))
        #expect(lines.contains("repair.commitment 4 75.0 % 0 25.0"))
        #expect(lines.contains("2026-09 95598 4 100.0 % 0 0.0 100.0 - insufficient_volume"))
        #expect(r.stderr.contains("\(4 * 6 + 2) outcomes"))
    }

    @Test func eventsAloneByDefaultAndAnUnknownOutputIsRefused() throws {
        let plain = try CLI.run(["replay"], stdin: Self.input())
        #expect(plain.status == 0)
        #expect(try objects(plain.stdout).allSatisfy { ($0["type"] as? String ?? "").hasPrefix("sla.") })
        let bad = try CLI.run(["replay", "--emit", "events,scores"], stdin: Self.input())
        #expect(bad.status != 0 && bad.stderr.contains("--emit: unknown scores; choose from events, outcomes, rollups, scorecards"), "\(bad.stderr)")
        let explained = try CLI.run(["replay", "--explain", "T-1", "--emit", "outcomes"], stdin: Self.input())
        #expect(explained.status != 0 && explained.stderr.contains("--explain prints the explanation alone"), "\(explained.stderr)")
        let retention = try CLI.run(["replay", "--rollup-retention", "2y"], stdin: Self.input())
        #expect(retention.status != 0 && retention.stderr.contains("--rollup-retention"))
    }
}
