import Foundation
import SLACore
import Testing
@testable import SLAService

@Suite struct ReloadMailboxTests {
    final class Heard: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ s: String) { lock.withLock { lines.append(s) } }
        var all: [String] { lock.withLock { lines } }
    }

    func reload(_ name: String, _ heard: Heard) throws -> ReloadMailbox.Reload {
        .init(policy: try DefaultFiles.policy(), calendar: try DefaultFiles.calendar()) { r in
            switch r {
            case .success: heard.add("\(name) applied")
            case .failure(let why): heard.add("\(name) refused: \(why.reason)")
            }
        }
    }

    @Test func aLaterReloadSupersedesTheOneWaitingAndOnlyItIsTaken() throws {
        let box = ReloadMailbox(), heard = Heard()
        box.post(try reload("first", heard))
        box.post(try reload("second", heard))
        #expect(heard.all == ["first refused: superseded by a later reload before it was applied"])
        let taken = box.take()
        #expect(taken != nil)
        #expect(box.take() == nil, "taken once")
        box.refuseWaiting()
        #expect(heard.all.count == 1, "nothing waits after the take")
    }

    @Test func aReloadLeftWhenTheWorkerStopsIsRefusedSoNoCallerWaitsForever() throws {
        let box = ReloadMailbox(), heard = Heard()
        box.post(try reload("late", heard))
        box.refuseWaiting()
        #expect(heard.all == ["late refused: the worker stopped before it could apply the new files"])
        #expect(box.take() == nil)
    }
}
