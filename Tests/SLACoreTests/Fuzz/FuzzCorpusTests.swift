import Foundation
import Testing
@testable import SLACore

/// Replays the inputs the fuzzers (`Benchmarks/Fuzz`, and libFuzzer through `scripts/fuzz`) kept
/// in `Tests/FuzzCorpus`: each damaged event, outage, outcome, policy, calendar or stored state
/// (a ticket's, or a chunk of the rollup stage's) is accepted or refused with a reason, the same
/// way twice.
@Suite struct FuzzCorpusTests {
    static func inputs(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let dir = Fixtures.root.appendingPathComponent("Tests/FuzzCorpus/\(target)").path
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        return names.compactMap { n in FileManager.default.contents(atPath: dir + "/" + n).map { (n, Array($0)) } }
    }

    @Test(arguments: ["events", "outages", "outcomes", "policy", "calendar", "state", "rollup-state"])
    func keptInputsAreAcceptedOrRefusedNeverACrash(target: String) {
        let inputs = Self.inputs(target)
        #expect(inputs.count >= 20, "the corpus of \(target) is there")
        var refused = 0
        for (name, bytes) in inputs {
            let first = Self.outcome(target, bytes), second = Self.outcome(target, bytes)
            #expect(first == second, "\(name): deterministic")
            if let reason = first { refused += 1; #expect(!reason.isEmpty, "\(name): a refusal says why") }
        }
        #expect(refused > 0)
    }

    /// nil when accepted, else the reason.
    static func outcome(_ target: String, _ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        switch target {
        case "events": do throws(EventRejection) { _ = try EventDecoder.any(bytes); return nil } catch { return error.description }
        case "outcomes": do throws(EventRejection) { _ = try Outcome.decode(bytes); return nil } catch { return error.description }
        case "outages": do throws(EventRejection) { _ = try EventDecoder.outage(bytes); return nil } catch { return error.description }
        case "state": do throws(StateDecodingError) { _ = try StateCodec.decode(bytes, policy: Fixtures.policy); return nil } catch { return error.reason }
        case "rollup-state":
            // A chunk of the rollup stage's state, restored, then taken and pruned (as the Fuzz target does).
            var book = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(40))
            let unreadable = book.restore([("b|0|0|1", bytes)])
            _ = book.takeChanges()
            book.prune(now: Timestamp(milliseconds: 1_763_600_000_000))
            _ = book.takeChanges()
            return unreadable.first?.reason
        case "policy": do throws(FileProblem) { _ = try PolicyLoader.parse(text, file: "p.yaml"); return nil } catch { return error.reason }
        default: do throws(FileProblem) { _ = try CalendarLoader.parse(text, file: "c.yaml"); return nil } catch { return error.reason }
        }
    }
}
