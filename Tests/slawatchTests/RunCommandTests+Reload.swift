import Foundation
import Glibc
import Testing
import SLACore
import SLAService
import SLATestSupport

/// `slawatch run` takes new files on SIGHUP: a clock the calendar could not time starts from its
/// original time, a moved deadline is rescheduled and a premature warning withdrawn and raised
/// again at its new time, a broken file is refused with the clocks unchanged. Part of
/// RunCommandTests, so that no other daemon of the suite runs at the same time.
extension RunCommandTests {
    /// The end-to-end seconds policy plus a complaint resolution on working days; the complaint's
    /// dispatch limit is `dispatch` (its warning at half of it).
    static func policy(version: String, dispatch: String) -> String {
        SecondsPolicy.text
            .replacingOccurrences(of: #"version: "e2e-seconds""#, with: "version: \(version)")
            .replacingOccurrences(of: "limit: 30s", with: "limit: \(dispatch)")
            + """
              - id: complaint.resolution
                rule: "10"
                title: Complaint resolved within 5 working days
                kinds: [complaint]
                start: [created]
                stop: [resolved]
                limit: 5wd

            """
    }

    /// The built-in calendar, without 2027 when `upTo2026`.
    static func calendar(upTo2026: Bool) -> String {
        let full = DefaultFiles.calendarText
        guard upTo2026, let cut = full.range(of: "\n  2027:") else { return full }
        return String(full[..<cut.lowerBound]).replacingOccurrences(of: "version: cn-mainland-2026.12-p2027", with: "version: cn-2026-only") + "\n"
    }

    @Test func sighupTimesAWaitingClockReschedulesAndRefusesABrokenFile() throws {
        let c = try EndToEndCluster(partitions: 2)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-reload-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let policyPath = dir.appendingPathComponent("policy.yaml").path, calendarPath = dir.appendingPathComponent("calendar.yaml").path
        try Self.policy(version: "reload-1", dispatch: "8s").write(toFile: policyPath, atomically: true, encoding: .utf8)
        try Self.calendar(upTo2026: true).write(toFile: calendarPath, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("slawatch.yaml").path
        try (c.configFile(policyPath: policyPath) + "  calendar: \(calendarPath)\n  http_listen: \"\"\n").write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try Daemon(config: config)
        defer { if daemon.process.isRunning { daemon.kill9() } }
        func outputs(_ ticket: String) throws -> [Output] { try c.outputs().filter { $0.string("ticket_id") == ticket } }
        func hangUp() { kill(daemon.process.processIdentifier, SIGHUP) }

        // 1. A complaint of 2026-12-28 under a calendar that ends with 2026: announced, not lost.
        let created = RFC3339.parse("2026-12-28T10:00:00+08:00")!.0
        try c.send([("C1", c.ticket("C1", "created", at: created, kind: "complaint"))])
        var unresolved: Output?
        #expect(try EndToEndCluster.waitUntil(seconds: 30) {
            unresolved = try outputs("C1").first { $0.type == "sla.unresolved" }
            return unresolved != nil || !daemon.process.isRunning
        }, "\(daemon.process.isRunning ? "" : daemon.output.suffix(3000))")
        #expect(unresolved?.eventId == "ticket:C1:complaint.resolution@20261228T020000Z:sla.unresolved")
        #expect(unresolved?.string("reason") == "calendar_not_covered" && unresolved?.string("missing") == "calendar:2027")
        #expect(unresolved?.topic == c.settings.escalationsTopic)

        // 2. SIGHUP with a calendar that covers 2027: the clock starts from 2026-12-28, deadline
        // 2027-01-06 00:00 (12-29, 12-30, 12-31, [元旦 and the weekend], 01-04, 01-05).
        try Self.calendar(upTo2026: false).write(toFile: calendarPath, atomically: true, encoding: .utf8)
        hangUp()
        var started: Output?
        #expect(try EndToEndCluster.waitUntil(seconds: 20) {
            started = try outputs("C1").first { $0.type == "sla.started" && $0.string("stage") == "complaint.resolution" }
            return started != nil
        })
        #expect(started?.string("started_at") == "2026-12-28T10:00:00+08:00")
        #expect(started?.string("deadline") == "2027-01-06T00:00:00+08:00")
        #expect(started?.string("calendar_status") == "provisional" && started?.string("calendar_version") == "cn-mainland-2026.12-p2027")

        // 3. A broken policy on SIGHUP is refused; nothing changes.
        try "version: [broken\n".write(toFile: policyPath, atomically: true, encoding: .utf8)
        hangUp()
        Thread.sleep(forTimeInterval: 1)
        #expect(daemon.process.isRunning)

        // 4. A complaint now: its dispatch warning at 4 s, deadline 8 s. Once the warning is out,
        // the dispatch limit becomes 16 s: deadline t0 + 16 s, warning t0 + 8 s — premature.
        let t0 = SystemClock.read()
        try c.send([("C2", c.ticket("C2", "created", at: t0, kind: "complaint"))])
        #expect(try EndToEndCluster.waitUntil(seconds: 15) { try outputs("C2").contains { $0.type == "sla.warning" } })
        try Self.policy(version: "reload-2", dispatch: "16s").write(toFile: policyPath, atomically: true, encoding: .utf8)
        hangUp()
        var got: [Output] = []
        #expect(try EndToEndCluster.waitUntil(seconds: 20) {
            got = try outputs("C2")
            return got.contains { $0.eventId.hasSuffix(":sla.warning#r1") }
        }, "\(got.map(\.eventId))")
        let rescheduled = got.first { $0.type == "sla.rescheduled" }
        #expect(rescheduled?.string("reason") == "policy", "\(rescheduled?.fields ?? [:])")
        #expect(rescheduled?.string("reason_text") == "policy reload-1 → reload-2")
        #expect(rescheduled?.string("old_deadline") == RFC3339.format(t0.adding(.seconds(8)), offsetSeconds: 8 * 3600))
        #expect(rescheduled?.string("deadline") == RFC3339.format(t0.adding(.seconds(16)), offsetSeconds: 8 * 3600))
        let retracted = got.first { $0.type == "sla.retracted" }
        #expect(retracted?.string("retracted_event_id") == got.first { $0.type == "sla.warning" }?.eventId)
        #expect(got.first { $0.eventId.hasSuffix(":sla.warning#r1") }?.string("occurred_at") == RFC3339.format(t0.adding(.seconds(8)), offsetSeconds: 8 * 3600))
        // The broken file did not move C1's clocks: its only reschedule is the one policy change.
        #expect(try outputs("C1").filter { $0.type == "sla.rescheduled" }.allSatisfy { $0.string("reason") == "policy" })

        let status = daemon.terminate()
        #expect(status == 0)
        let log = daemon.output
        #expect(log.contains("reload refused") && log.contains(policyPath), "\(log.suffix(3000))")
        #expect(log.contains("reload applied"))
    }
}
