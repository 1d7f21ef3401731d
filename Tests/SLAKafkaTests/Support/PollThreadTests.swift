import Foundation
import Testing
@testable import SLAKafka

@Suite struct PollThreadTests {
    /// Counts the loop's turns from the loop's own thread.
    final class Turns: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        private var threads: Set<UInt> = []
        func turn() { lock.withLock { n += 1; threads.insert(UInt(bitPattern: Int(pthread_self()))) } }
        var count: Int { lock.withLock { n } }
        var threadIDs: Set<UInt> { lock.withLock { threads } }
    }

    @Test func theLoopTurnsOnAThreadOfItsOwnUntilStoppedAndStopWaitsForItToLeave() {
        let thread = PollThread(name: "slawatch-test-loop")
        let turns = Turns()
        let started = DispatchSemaphore(value: 0)
        #expect(thread.start { t in
            started.signal()
            while t.isRunning { turns.turn(); Thread.sleep(forTimeInterval: 0.001) }
            Thread.sleep(forTimeInterval: 0.05)  // work after the loop still counts as running
            turns.turn()
        })
        started.wait()
        #expect(!thread.hasEnded)
        let before = turns.count
        thread.stop()
        // stop() returned only after the loop's last line: its final turn is counted.
        #expect(thread.hasEnded)
        let after = turns.count
        #expect(after >= before + 1)
        Thread.sleep(forTimeInterval: 0.02)
        #expect(turns.count == after)
        // Every turn ran on one thread, not the caller's.
        #expect(turns.threadIDs.count == 1)
        #expect(!turns.threadIDs.contains(UInt(bitPattern: Int(pthread_self()))))
    }

    @Test func aSecondStartIsRefusedAndRunsNothing() {
        let thread = PollThread(name: "slawatch-test-once")
        let turns = Turns()
        #expect(thread.start { _ in turns.turn() })
        thread.join()
        #expect(!thread.start { _ in turns.turn() })
        thread.join()
        #expect(turns.count == 1)
    }

    @Test func joiningAThreadNeverStartedReturnsAndAStopBeforeStartKeepsItFromStarting() {
        let thread = PollThread(name: "slawatch-test-idle")
        thread.join()
        thread.stop()
        let turns = Turns()
        #expect(!thread.start { _ in turns.turn() })
        #expect(turns.count == 0)
        #expect(thread.hasEnded)
    }

    @Test func everyWaiterReturnsOnceTheLoopHasLeft() {
        let thread = PollThread(name: "slawatch-test-waiters")
        thread.start { t in while t.isRunning { Thread.sleep(forTimeInterval: 0.001) } }
        let group = DispatchGroup()
        for _ in 0..<3 {
            group.enter()
            Thread { thread.join(); group.leave() }.start()
        }
        #expect(group.wait(timeout: .now() + 0.1) == .timedOut)
        thread.requestStop()
        #expect(group.wait(timeout: .now() + 10) == .success)
    }
}
