import Foundation
import Testing

@Suite struct ReplayCommandTests {
    private func sample() throws -> Data { try Data(contentsOf: CLI.root.appendingPathComponent("samples/95598-sample-day.jsonl")) }

    private func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test func replaysTheSampleDayWithDeadlinesCheckedByHand() throws {
        let r = try CLI.run(["replay", "--until", "2026-10-16T00:00:00+08:00"], stdin: try sample())
        #expect(r.status == 0, "\(r.stderr)")
        let events = try objects(r.stdout)
        #expect(events.count == 71)
        // The customer's whole wait (first created → first arrived, dispatch 5 min + the region's
        // arrival limit): T-001 urban 08:00 → 08:40 = 40 of 50 min; T-002 rural 08:10 → 09:50 =
        // 100 of 95; T-003 remote 09:00 → 11:05 = 125 of 125, across its return, exactly in time.
        let commitment = events.filter { $0["stage"] as? String == "repair.commitment" }
        #expect(commitment.map { "\($0["ticket_id"]!) \($0["type"]!) \($0["elapsed_seconds"]!)" } == [
            "T-0930-001 sla.met 2400", "T-0930-002 sla.missed 6000", "T-0930-003 sla.met 7500",
        ])
        // Dispatch is the centre's duty; the crew's arrival the unit's that got the ticket.
        #expect(events.filter { $0["stage"] as? String == "repair.dispatch" }.allSatisfy { $0["charged_to"] as? String == "95598" })
        #expect(events.first { $0["ticket_id"] as? String == "T-0930-003" && $0["stage"] as? String == "repair.arrival" && $0["type"] as? String == "sla.met" }?["charged_to"] as? String == "GDS-Shangfu")
        // Minute-based: a rural crew dispatched 08:12 must arrive by 09:42 (90 min); it came 09:50.
        let arrival = events.filter { $0["ticket_id"] as? String == "T-0930-002" && $0["stage"] as? String == "repair.arrival" }
        #expect(arrival.map { $0["type"] as! String } == ["sla.started", "sla.warning", "sla.overdue", "sla.escalated", "sla.missed"])
        #expect(arrival.allSatisfy { $0["deadline"] as? String == "2026-09-30T09:42:00+08:00" })
        #expect(arrival.last?["elapsed_seconds"] as? Int == 5880)
        // Working-day: a complaint accepted 09-30 has 5 working days after Golden Week: 10-08, 10-09,
        // 10-10 (adjusted Saturday), 10-12, 10-13; the deadline is the end of 10-13.
        let resolution = events.filter { $0["ticket_id"] as? String == "T-0930-005" && $0["stage"] as? String == "complaint.resolution" }
        #expect(resolution.first?["deadline"] as? String == "2026-10-14T00:00:00+08:00")
        #expect(resolution.contains { $0["type"] as? String == "sla.overdue" && $0["occurred_at"] as? String == "2026-10-14T00:00:00+08:00" })
        // Rule 11: escalated to the marketing leader at acceptance.
        #expect(resolution.contains { $0["level"] as? String == "leader" && $0["occurred_at"] as? String == "2026-09-30T10:00:00+08:00" })
        #expect(r.stderr.contains("34 lines: 32 applied, 1 duplicates, 1 untracked, 0 skipped; 71 events emitted"))
        // Output is in emission order: event time never goes backwards between timer-driven lines.
        let times = events.map { $0["detected_at"] as! String }
        #expect(times == times.sorted())
    }

    @Test func reportsMalformedLinesWithTheirNumbersAndGoesOn() throws {
        var input = try sample()
        input.append(Data("{\"event_id\":\"x1\",\"ticket_id\":\"T9\",\"kind\":\"faultrepair\",\"action\":\"created\",\"occurred_at\":\"2026-09-30T18:00:00+08:00\"}\n".utf8))
        input.append(Data([0xFF, 0xFE, 0x0A]))
        input.append(Data("not json\n\n".utf8))
        input.append(Data("{\"event_id\":\"x2\",\"ticket_id\":\"T9\",\"kind\":\"complaint\",\"action\":\"created\",\"occurred_at\":\"2026-13-01T00:00\"}\n".utf8))
        let r = try CLI.run(["replay"], stdin: input)
        #expect(r.status == 2)
        #expect(r.stderr.contains(#"line 35: kind: unknown value "faultrepair""#))
        #expect(r.stderr.contains("line 36: not UTF-8 text"))
        #expect(r.stderr.contains("line 37: not JSON: invalid literal at byte 0"))
        #expect(r.stderr.contains(#"line 39: occurred_at: not an RFC 3339 timestamp: "2026-13-01T00:00""#))
        #expect(r.stderr.contains("4 skipped"))
        #expect(try objects(r.stdout).count > 40)  // the good lines were all processed
    }

    @Test func refusesABadPolicyWithFileLineAndReason() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("bad.yaml")
        try "version: v1\nstages:\n  - id: s1\n    rule: \"2\"\n    kinds: [fault_repair]\n    start: [created]\n    stop: [dispatched]\n    limit: five minutes\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["replay", "--policy", file.path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("slawatch: \(file.path):8:12: stages[0].limit: not a limit: \"five minutes\""))
        let show = try CLI.run(["policy", "show", "--policy", file.path])
        #expect(show.status == 1 && show.stderr == r.stderr)
        let missing = try CLI.run(["policy", "show", "--policy", "/nonexistent.yaml"])
        #expect(missing.stderr == "slawatch: /nonexistent.yaml: cannot read the file (missing or not readable)\n")
    }

    @Test func showsTheEffectiveStageTable() throws {
        let r = try CLI.run(["policy", "show"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("policy 95598-default-2026.12: 15 stages"))
        #expect(r.stdout.contains("limit:  urban 45m, rural 1h30m, remote 2h after the start"))
        #expect(r.stdout.contains("escalate at once when multi_unit: leader -> marketing_leader"))
        #expect(r.stdout.contains("[repair.dispatch] rule 2: Fault repair dispatched to the repair unit within 5 minutes of acceptance\n  kinds:  fault_repair\n  clock:  created | returned -> dispatched\n  limit:  5m after the start\n  charged to: the centre (95598)\n"))
        #expect(r.stdout.contains("  missed: at started or start_at passing before the stop\n"))
        #expect(r.stdout.contains("[repair.arrival]") && r.stdout.contains("  charged to: the unit holding the ticket\n"))
        let version = try CLI.run(["version"])
        #expect(version.stdout.hasPrefix("slawatch ") && version.stdout.contains("librdkafka 2."))
    }

    @Test func refusesABadUntil() throws {
        let r = try CLI.run(["replay", "--until", "tomorrow"])
        #expect(r.status != 0 && r.stderr.contains(#"--until: not an RFC 3339 timestamp: "tomorrow""#))
    }
}
