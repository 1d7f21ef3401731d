// The one way slawatch runs a loop on a thread of its own: named, started once, stopped and waited for.

import Foundation

/// A dedicated thread that turns a loop until asked to stop, and can be waited for.
///
/// The daemon's loops (the worker's poll, the producer's delivery reports, the outage follower,
/// the rollups sink, the demo's generator and monitor) block in librdkafka or sleep, so they
/// run on threads of their own rather than on the concurrency pool. Each used to hand-roll a
/// flag, a lock and a semaphore; this is that, once. The loop reads ``isRunning`` to know when
/// to leave; ``join()`` returns once it has, however many callers wait.
public final class PollThread: @unchecked Sendable {
    // @unchecked: `state` is guarded by `condition`.
    private enum State { case idle, running, stopping, ended }
    private let name: String
    private let condition = NSCondition()
    private var state = State.idle

    /// A thread named `name` (as `top -H` and a debugger show it); nothing runs until ``start(_:)``.
    public init(name: String) { self.name = name }

    /// Runs `loop` on the thread, once: later calls (and a call after ``requestStop()``) do
    /// nothing and return false. `loop` is given this thread, to read ``isRunning``.
    @discardableResult
    public func start(_ loop: @escaping @Sendable (PollThread) -> Void) -> Bool {
        let go = condition.withLock { () -> Bool in
            guard state == .idle else { return false }
            state = .running
            return true
        }
        guard go else { return false }
        let t = Thread { [self] in
            loop(self)
            condition.withLock {
                state = .ended
                condition.broadcast()
            }
        }
        t.name = name
        t.start()
        return true
    }

    /// True from ``start(_:)`` until ``requestStop()``.
    public var isRunning: Bool { condition.withLock { state == .running } }

    /// True once the loop has returned.
    public var hasEnded: Bool { condition.withLock { state == .ended } }

    /// Asks the loop to leave at its next turn, without waiting. A thread never started will
    /// not start.
    public func requestStop() {
        condition.withLock {
            switch state {
            case .idle: state = .ended
            case .running: state = .stopping
            case .stopping, .ended: break
            }
            condition.broadcast()
        }
    }

    /// Waits until the loop has returned (at once if it has, or if it was never started).
    /// Never call it from the loop itself.
    public func join() {
        condition.withLock {
            while state == .running || state == .stopping { condition.wait() }
        }
    }

    /// ``requestStop()``, then ``join()``.
    public func stop() {
        requestStop()
        join()
    }
}
