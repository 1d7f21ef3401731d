import Foundation
import Testing

/// `slawatch replay --compare`: the urban arrival limit cut from 45 to 40 minutes, over fifteen
/// urban repairs whose crews arrive 35, 36, … 49 minutes after dispatch. Every figure below is
/// worked out from those minutes by hand.
@Suite struct ReplayCompareTests {
    static let minutes = Array(35...49)

    /// Tickets T-35 … T-49 of GDS-X: accepted 08:00, dispatched 08:03 (arrival due 08:48 under A,
    /// 08:43 under B; the whole wait due 08:50 under both), arriving `m` minutes after dispatch,
    /// reporting on site to county and city two minutes after arriving.
    static func input() -> Data {
        var lines: [(at: Int, order: Int, text: String)] = []
        func line(_ t: String, _ n: Int, _ action: String, _ minute: Int, _ extra: String = "") {
            let at = String(format: "%02d:%02d", 8 + minute / 60, minute % 60)
            lines.append((minute, lines.count, #"{"event_id":"\#(t)-\#(n)","ticket_id":"\#(t)","kind":"fault_repair","action":"\#(action)","occurred_at":"2026-09-30T\#(at):00+08:00","unit":"GDS-X","region":"urban""# + extra + "}"))
        }
        for m in minutes {
            let t = "T-\(m)"
            line(t, 1, "created", 0, #","agent":"A1""#)
            line(t, 2, "dispatched", 3)
            line(t, 3, "arrived", 3 + m)
            line(t, 4, "onsite_reported", 5 + m, #","reported_to":"county""#)
            line(t, 5, "onsite_reported", 5 + m, #","reported_to":"city""#)
        }
        return Data((lines.sorted { ($0.at, $0.order) < ($1.at, $1.order) }.map(\.text).joined(separator: "\n") + "\n").utf8)
    }

    /// The shipped policy with the urban arrival limit at 40 minutes.
    static func policyB() throws -> String {
        let shipped = try String(contentsOf: CLI.root.appendingPathComponent("policy/95598.yaml"), encoding: .utf8)
        let from = "urban: 45m, rural: 90m, remote: 120m"
        #expect(shipped.components(separatedBy: from).count == 2, "the arrival limit appears once")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("policy-b-\(UUID()).yaml").path
        try shipped.replacingOccurrences(of: from, with: "urban: 40m, rural: 90m, remote: 120m").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func flipsExactlyTheArrivalsOf41To45MinutesAndRescoresTheUnit() throws {
        let b = try Self.policyB()
        let flips = FileManager.default.temporaryDirectory.appendingPathComponent("flips-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: b); try? FileManager.default.removeItem(atPath: flips) }
        let r = try CLI.run(["replay", "--compare", "--policy-b", b, "--flips", flips], stdin: Self.input())
        #expect(r.status == 0, "\(r.stderr)")
        let expectedFlips = Self.minutes.filter { $0 > 40 && $0 <= 45 }  // in time at 45, late at 40
        #expect(expectedFlips.count == 5)
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        // Arrivals on time: A 35…45 = 11 of 15 (73.3 %), B 35…40 = 6 of 15 (40.0 %). The whole
        // wait (≤ 50 min, i.e. m ≤ 47) 13 of 15 under both; the 30 on-site reports all in time.
        // Unit: A 54 of 60 (90.0 %), B 49 of 60 (81.7 %). Points under `rate` (1 per point
        // short of 100 %, capped at 30): arrival A 26.667, B 60 → 30; the wait 13.333 both.
        // Score A 100 − 40 = 60.0, B 100 − 43.333 = 56.7; both fail, second to the centre (15
        // dispatches in 3 of 5 minutes: 100, excellent, first) under both.
        #expect(lines.contains("2026-09 GDS-X 5 0 0 90.0 % 81.7 % 60.0 56.7 #2 fail → #2 fail"), "\(r.stdout)")
        #expect(lines.contains("repair.arrival 5 0 0 73.3 % 40.0 %"))
        #expect(lines.contains("repair.commitment 0 0 0 86.7 % 86.7 %"))
        #expect(lines.contains("2026-09 95598 0 0 0 100.0 % 100.0 % 100.0 100.0 #1 excellent → #1 excellent"))
        // 15 tickets × (dispatch, arrival, the whole wait, two reports) cycles.
        #expect(lines.contains("75 stage cycles compared: 5 met→missed, 0 missed→met, 0 other changes of verdict"))
        // The flips file: the five, with both deadlines.
        let rows = try String(contentsOfFile: flips, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(rows.map { $0["subject_id"] as! String }.sorted() == expectedFlips.map { "T-\($0)" })
        for row in rows {
            #expect(row["stage"] as? String == "repair.arrival" && row["change"] as? String == "met→missed" && row["flip"] as? Bool == true)
            #expect(row["deadline_a"] as? String == "2026-09-30T08:48:00+08:00" && row["deadline_b"] as? String == "2026-09-30T08:43:00+08:00", "\(row)")
            #expect(row["verdict_a"] as? String == "met" && row["verdict_b"] as? String == "missed" && row["charged_to_a"] as? String == "GDS-X")
            let m = Int((row["subject_id"] as! String).dropFirst(2))!
            #expect(row["elapsed_seconds_a"] as? Int == m * 60 && row["overdue_b"] as? Bool == true && row["overdue_a"] as? Bool == false)
        }
    }

    @Test func refusesWhatDoesNotMakeAComparison() throws {
        let none = try CLI.run(["replay", "--compare"], stdin: Self.input())
        #expect(none.status != 0 && none.stderr.contains("give --policy-b or --calendar-b"), "\(none.stderr)")
        let stray = try CLI.run(["replay", "--flips", "/tmp/x.jsonl"], stdin: Self.input())
        #expect(stray.status != 0 && stray.stderr.contains("go with --compare"))
        let b = try Self.policyB()
        defer { try? FileManager.default.removeItem(atPath: b) }
        let unwritable = try CLI.run(["replay", "--compare", "--policy-b", b, "--flips", "/nonexistent/dir/flips.jsonl"], stdin: Self.input())
        #expect(unwritable.status == 1 && unwritable.stderr.contains("--flips: cannot write"), "\(unwritable.stderr)")
    }
}
