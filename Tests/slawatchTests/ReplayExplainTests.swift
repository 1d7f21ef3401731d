import Foundation
import Testing

/// `slawatch replay --explain`: how a ticket's deadlines were worked out. The days are the State
/// Council's 2025 notice (国办发明电〔2024〕12号), read by hand: 10-01 … 10-08 off for National Day
/// and Mid-autumn, Saturday 10-11 worked.
@Suite struct ReplayExplainTests {
    static let complaint = """
        {"event_id":"nd-1","ticket_id":"C-ND","kind":"complaint","action":"created","occurred_at":"2025-09-30T10:00:00+08:00","unit":"Dept-A"}
        {"event_id":"nd-2","ticket_id":"C-ND","kind":"complaint","action":"dispatched","occurred_at":"2025-09-30T10:20:00+08:00","unit":"Dept-B"}
        {"event_id":"nd-3","ticket_id":"C-ND","kind":"complaint","action":"resolved","occurred_at":"2025-10-14T16:00:00+08:00"}

        """

    @Test func aComplaintAcrossNationalDay2025ListsEveryDayWalked() throws {
        let r = try CLI.run(["replay", "--explain", "C-ND"], stdin: Data(Self.complaint.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for d in 1...8 { #expect(lines.contains("2025-10-0\(d) holiday, not counted"), "10-0\(d): \(r.stdout)") }
        // Counting from Thursday 10-09: 09, 10, 11 (adjusted), 13, 14 — Sunday 10-12 is off.
        #expect(lines.contains("2025-10-09 working, counted 1 of 5"))
        #expect(lines.contains("2025-10-11 adjusted working day, counted 3 of 5"))
        #expect(lines.contains("2025-10-12 weekend, not counted"))
        #expect(lines.contains("2025-10-14 working, counted 5 of 5"))
        #expect(r.stdout.contains("complaint.resolution cycle 1 — rule 10"))
        #expect(r.stdout.contains("started by created at 2025-09-30T10:00:00+08:00 (nd-1)"))
        #expect(r.stdout.contains("deadline 2025-10-15T00:00:00+08:00"))
        #expect(r.stdout.contains("ended by resolved at 2025-10-14T16:00:00+08:00 (nd-3): met"))
        #expect(r.stdout.contains("limit 5wd; charged to Dept-B"))
        #expect(r.stdout.contains("limit 30m; charged to 95598"))
        #expect(r.stdout.contains("policy 95598-default-2026.12, calendar cn-mainland"))
        // No event lines: the explanation replaces them.
        #expect(!r.stdout.contains("\"event_id\""))
    }

    @Test func theJSONFormIsTheDaemonsAnswer() throws {
        let r = try CLI.run(["replay", "--explain", "C-ND", "--json"], stdin: Data(Self.complaint.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(o["ticket_id"] as? String == "C-ND")
        let cycles = try #require(o["cycles"] as? [[String: Any]])
        let resolution = try #require(cycles.first { $0["stage"] as? String == "complaint.resolution" })
        let days = try #require(resolution["calendar_days"] as? [[String: Any]])
        #expect(days.count == 14)  // 10-01 … 10-14
        #expect(days.filter { $0["day"] as? String == "holiday" }.compactMap { $0["date"] as? String } == (1...8).map { "2025-10-0\($0)" })
        #expect(days.first { $0["date"] as? String == "2025-10-11" }?["day"] as? String == "adjusted_working_day")
        #expect(days.allSatisfy { $0["status"] as? String == "official" })
        #expect(resolution["deadline"] as? String == "2025-10-15T00:00:00+08:00" && resolution["verdict"] as? String == "met")
        #expect((resolution["started_by"] as? [String: Any])?["event_id"] as? String == "nd-1")
    }

    @Test func aTicketNotHeldOrABadOptionIsRefused() throws {
        let r = try CLI.run(["replay", "--explain", "NOPE"], stdin: Data(Self.complaint.utf8))
        #expect(r.status == 1 && r.stderr.contains(#"no ticket or outage "NOPE" is held"#), "\(r.stderr)")
        let j = try CLI.run(["replay", "--json"], stdin: Data())
        #expect(j.status != 0 && j.stderr.contains("--json goes with --explain"))
    }
}
