import Foundation
import Testing
@testable import SLAService

@Suite struct WorkerLifecycleTests {
    /// Collects the results handed to waiters.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var got: [String] = []
        func add(_ r: Result<Void, WorkerFailure>) {
            lock.withLock { got.append({ if case .failure(let f) = r { "failure \(f.kind.rawValue)" } else { "success" } }()) }
        }
        var all: [String] { lock.withLock { got } }
    }

    @Test func aWorkerServesOnceRestoredAndNotOnceAskedToStop() {
        let life = WorkerLifecycle()
        #expect(!life.isServing && !life.shouldStop)
        life.restored()
        #expect(life.isServing && !life.shouldStop)
        life.restored()  // a later assignment changes nothing
        #expect(life.isServing)
        life.requestStop()
        #expect(!life.isServing && life.shouldStop && life.failure == nil)
        life.restored()  // a restore during the stop does not make it serve again
        #expect(!life.isServing)
    }

    @Test func theFirstFailureStandsAndStopsItEvenWhileStopping() {
        let life = WorkerLifecycle()
        life.restored()
        life.requestStop()
        #expect(life.fail(WorkerFailure(.delivery, "broker down")))
        #expect(!life.fail(WorkerFailure(.shutdown, "too slow")))
        life.requestStop()  // asking again does not hide the failure
        #expect(life.failure?.kind == .delivery && life.shouldStop && !life.isServing)
        guard case .failure(let f) = life.finish() else { Issue.record("the result is the failure"); return }
        #expect(f.kind == .delivery)
        #expect(!life.fail(WorkerFailure(.consumer, "after the end")))
        #expect(life.failure?.kind == .delivery)
    }

    @Test func everyWaiterHearsTheResultOnceWhetherItCameBeforeOrAfterTheEnd() {
        let life = WorkerLifecycle()
        let results = Results()
        life.whenStopped { results.add($0) }
        life.whenStopped { results.add($0) }
        #expect(results.all.isEmpty)
        life.requestStop()
        #expect(results.all.isEmpty, "asking to stop is not having stopped")
        guard case .success = life.finish() else { Issue.record("a clean stop succeeds"); return }
        #expect(results.all == ["success", "success"])
        life.whenStopped { results.add($0) }
        #expect(results.all == ["success", "success", "success"])
        // A second finish changes nothing and calls nobody again.
        life.finish()
        #expect(results.all.count == 3)
    }

    @Test func aFailureWhileJoiningEndsInThatFailure() {
        let life = WorkerLifecycle()
        let results = Results()
        life.whenStopped { results.add($0) }
        life.fail(WorkerFailure(.restore, "changelog unreadable"))
        #expect(life.shouldStop && !life.isServing)
        life.restored()
        #expect(!life.isServing)
        life.finish()
        #expect(results.all == ["failure restore"])
    }
}
