import Foundation
import Testing
import SLAService

/// `slawatch calendar check` and `slawatch replay` on the calendar's edge.
@Suite struct CalendarCommandTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-cal-\(UUID()).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The built-in calendar without 2027.
    static var upTo2026: String {
        let full = DefaultFiles.calendarText
        return String(full[..<full.range(of: "\n  2027:")!.lowerBound]).replacingOccurrences(of: "version: cn-mainland-2026.12-p2027", with: "version: cn-2026-only") + "\n"
    }

    @Test func listsEachYearAsOfficialOrProvisionalWithTheDaysLeft() throws {
        let r = try CLI.run(["calendar", "check", "--now", "2026-12-02T10:00:00+08:00", "--min-days", "60"])
        #expect(r.status == 0, "\(r.stderr)")
        // 2026-12-02 10:00 to 2027-01-01 00:00 is 29 days and 14 hours; to 2028-01-01, 394 days.
        #expect(r.stdout.contains("  2026  official     29 days left from today"), "\(r.stdout)")
        #expect(r.stdout.contains("  2027  provisional  394 days left from today"))
        #expect(r.stdout.contains("covers until 2027-12-31 (394 days; official until 2026-12-31; provisional: 2027)"))
    }

    @Test func exitsOneWhenFewerDaysThanAskedRemain() throws {
        let path = try Self.file(Self.upTo2026)
        let r = try CLI.run(["calendar", "check", path, "--now", "2026-12-02T10:00:00+08:00", "--min-days", "60"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("29 days covered from today, fewer than --min-days 60"), "\(r.stderr)")
        let ok = try CLI.run(["calendar", "check", path, "--now", "2026-12-02T10:00:00+08:00", "--min-days", "29"])
        #expect(ok.status == 0)
        let bad = try CLI.run(["calendar", "check", try Self.file("years: {2027: {provisional: maybe}}\n")])
        #expect(bad.status == 1 && bad.stderr.contains("provisional must be true or false"), "\(bad.stderr)")
    }

    @Test func replayEmitsTheSameUnresolvedEventAsTheDaemon() throws {
        let path = try Self.file(Self.upTo2026)
        let input = Data(#"{"event_id":"e1","ticket_id":"C1","kind":"complaint","action":"created","occurred_at":"2026-12-28T10:00:00+08:00","unit":"Dept-A"}"#.utf8 + [0x0A])
        let r = try CLI.run(["replay", "--calendar", path], stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        let events = r.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let u = try #require(events.first { $0["type"] as? String == "sla.unresolved" })
        #expect(u["event_id"] as? String == "ticket:C1:complaint.resolution@20261228T020000Z:sla.unresolved")
        #expect(u["reason"] as? String == "calendar_not_covered" && u["missing"] as? String == "calendar:2027")
        #expect(u["occurred_at"] as? String == "2026-12-28T10:00:00+08:00")
        #expect(r.stderr.contains("(1 sla.unresolved)"))
        // With the built-in calendar (2027 provisional) it is timed, and says so.
        let timed = try CLI.run(["replay"], stdin: input)
        #expect(!timed.stdout.contains("sla.unresolved"))
        #expect(timed.stdout.contains(#""calendar_status":"provisional""#))
    }
}
