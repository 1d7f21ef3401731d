import Foundation
import Testing

@Suite struct DemoCommandTests {
    @Test func theDemoRunsForItsBoundedTimeAndSummarises() throws {
        let began = Date()
        let r = try CLI.run(["demo", "--seconds", "6", "--speed", "300", "--plain"])
        // On failure both ends of stderr: librdkafka prints its assertion before the backtrace.
        #expect(r.status == 0, "\(r.stderr.prefix(3000)) … \(r.stderr.suffix(1500))")
        #expect(Date().timeIntervalSince(began) < 60, "bounded")
        let progress = r.stdout.split(separator: "\n").filter { $0.hasPrefix("slawatch demo | ") }
        #expect(progress.count >= 5, "a line per second: \(r.stdout)")
        #expect(r.stdout.contains("slawatch demo summary: 30 simulated minutes"))
        #expect(r.stdout.contains("dead-lettered input records: 2"))
        // The planned outage registered five days ahead is overdue for its notice at once.
        // Columns: stage, active, met, missed, warned, overdue, on time.
        let notice = r.stdout.split(separator: "\n").last { $0.hasPrefix("outage.notice.planned") }?.split(separator: " ")
        #expect(notice.flatMap { Int($0[5]) }.map { $0 >= 1 } == true, "\(r.stdout)")
        #expect(r.stdout.contains("escalations: ") && !r.stdout.contains("escalations: none yet\nSLA events"), "\(r.stdout)")
        // Per-unit on-time rates and scores, read back from the rollups topic.
        #expect(r.stdout.contains("per unit this month, from the rollups topic"), "\(r.stdout)")
        let units = r.stdout.split(separator: "\n").filter { $0.hasSuffix(" Station") == false && $0.contains(" Station ") && $0.contains("%") }
        #expect(units.count >= 2, "a line per unit with its on-time rate: \(r.stdout)")
        // Dispatching is the centre's duty (docs/rules.md): its figures are the centre's line.
        #expect(r.stdout.split(separator: "\n").contains { $0.hasPrefix("95598 ") && $0.contains("%") }, "\(r.stdout)")
    }

    @Test func refusesBadOptions() throws {
        let r = try CLI.run(["demo", "--seconds", "0"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--seconds must be 1…3600"))
    }
}
