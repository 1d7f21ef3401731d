// `slawatch replay --compare`: the same input under two policies, and what flips between them.

import ArgumentParser
import Foundation
import SLACore
import SLAService

extension ReplayCommand {
    /// Streams the input through two engines (A and B) with their rollups, then prints the
    /// comparison and writes the flips file.
    func runComparison(policyA p: Policy, calendarA c: BusinessCalendar) throws {
        let pb = try policyB.map { path in try FileProblemExit.catching { () throws(FileProblem) in try PolicyFiles.policy(at: path) } } ?? p
        let cb = try calendarB.map { path in try FileProblemExit.catching { () throws(FileProblem) in try PolicyFiles.calendar(at: path) } } ?? c
        // Opened first: a flips file that cannot be written is refused before the work, not after it.
        let flipsOut = try flips.map { path in
            guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
                Stderr.write("replay: --flips: cannot write \(JSONText.quoted(path))\n")
                throw ExitCode(1)
            }
            return h
        }
        let retention = TimeSpan.parse(rollupRetention)!
        // The units' months and the verdict rows are all the table needs: the unit view's month
        // cells only (a fifth of the cells and half the slots of the daemon's book).
        var a = ReplayEngine(tracker: SLATracker(policy: p, calendar: c),
                             rollups: RollupBook(calendar: c, rule: p.scorecard, retention: retention, grains: [.month]), views: [.unit])
        var b = ReplayEngine(tracker: SLATracker(policy: pb, calendar: cb),
                             rollups: RollupBook(calendar: cb, rule: pb.scorecard, retention: retention, grains: [.month]), views: [.unit])
        var reader = LineReader(fileDescriptor: 0)
        var lineNumber = 0, skipped = 0
        while let line = reader.next() {
            lineNumber += 1
            if progressEvery > 0, lineNumber % progressEvery == 0 {
                Stderr.write("replay --compare: \(lineNumber) lines, \(a.counts.outcomes) / \(b.counts.outcomes) outcomes (A / B), clock \(a.clock.map(c.format) ?? "-")\n")
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let event: InboundEvent
            do { event = try EventDecoder.any(line) } catch {
                skipped += 1
                Stderr.write("line \(lineNumber): \(error)\n")
                continue
            }
            // Each policy judges the line on its own: one may refuse what the other takes.
            var refused: [String] = []
            do { _ = try a.feed(event) } catch { _ = a.takeUnreported(); refused.append("A: \(error)") }
            do { _ = try b.feed(event) } catch { _ = b.takeUnreported(); refused.append("B: \(error)") }
            if !refused.isEmpty { skipped += 1; Stderr.write("line \(lineNumber): \(refused.joined(separator: "; "))\n") }
        }
        if let until, let (t, _) = RFC3339.parse(until) { _ = a.advance(to: t); _ = b.advance(to: t) }
        let comparison = PolicyComparison(a: a.takeRollups()!, b: b.takeRollups()!)
        print(ComparisonReport.table(comparison), terminator: "")
        if let flipsOut {
            for d in comparison.differences { flipsOut.write(Data(d.json(calendar: c) + [0x0A])) }
            try flipsOut.close()
        }
        Stderr.write("replay --compare: \(lineNumber) lines, \(skipped) skipped; A \(p.version) / \(c.version), B \(pb.version) / \(cb.version); "
                     + "\(comparison.cycles) cycles, \(comparison.differences.count) differ\n")
        if skipped > 0 { throw ExitCode(2) }
    }
}
