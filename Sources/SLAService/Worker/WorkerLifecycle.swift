// Where a worker is in its life — joining, serving, stopping, failed, stopped — and who waits for its end.

import Foundation

/// A worker's life as one state, and the callbacks waiting for its end.
///
/// The poll thread, the hand-off callbacks, the HTTP handlers and the service lifecycle all
/// ask "may I go on?", "is it ready?", "did it fail?"; one state answers them all, so no two
/// flags can disagree (a worker failed *and* ready, stopping *and* serving).
final class WorkerLifecycle: @unchecked Sendable {
    // @unchecked: `phase` and `waiters` are guarded by `lock`.

    /// The states, in the order a worker passes through them.
    enum Phase {
        /// Started, its first partitions not yet restored.
        case joining
        /// Its partitions are restored (or it holds none after joining) and it keeps their clocks.
        case serving
        /// Asked to stop: it finishes its turn, checkpoints and leaves the group.
        case stopping
        /// Failed: nothing more is committed; it stops.
        case failed(WorkerFailure)
        /// Its poll thread has ended, with this result.
        case stopped(Result<Void, WorkerFailure>)
    }

    private let lock = NSLock()
    private var current = Phase.joining
    private var waiters: [@Sendable (Result<Void, WorkerFailure>) -> Void] = []

    /// The state now.
    var phase: Phase { lock.withLock { current } }

    /// True while it serves (not while joining, stopping, failed or stopped).
    var isServing: Bool { lock.withLock { if case .serving = current { true } else { false } } }

    /// True once it must leave its loop: asked to stop, failed, or stopped.
    var shouldStop: Bool {
        lock.withLock {
            switch current {
            case .joining, .serving: false
            case .stopping, .failed, .stopped: true
            }
        }
    }

    /// The failure that stops it, if one does.
    var failure: WorkerFailure? {
        lock.withLock {
            switch current {
            case .failed(let f), .stopped(.failure(let f)): f
            default: nil
            }
        }
    }

    /// Partitions restored: a joining worker serves (a stopping or failed one stays so).
    func restored() { lock.withLock { if case .joining = current { current = .serving } } }

    /// Asks it to stop; a failure already recorded stands.
    func requestStop() {
        lock.withLock {
            switch current {
            case .joining, .serving: current = .stopping
            case .stopping, .failed, .stopped: break
            }
        }
    }

    /// Records a failure; returns false when one is already recorded (the first one stands)
    /// or the worker has stopped.
    @discardableResult
    func fail(_ f: WorkerFailure) -> Bool {
        lock.withLock {
            switch current {
            case .joining, .serving, .stopping: current = .failed(f); return true
            case .failed, .stopped: return false
            }
        }
    }

    /// The poll thread has ended: the result is the failure if one was recorded, and every
    /// waiter is called with it, once.
    @discardableResult
    func finish() -> Result<Void, WorkerFailure> {
        let (result, callbacks) = lock.withLock { () -> (Result<Void, WorkerFailure>, [@Sendable (Result<Void, WorkerFailure>) -> Void]) in
            let r: Result<Void, WorkerFailure>
            switch current {
            case .stopped(let done): return (done, [])
            case .failed(let f): r = .failure(f)
            case .joining, .serving, .stopping: r = .success(())
            }
            current = .stopped(r)
            defer { waiters.removeAll() }
            return (r, waiters)
        }
        callbacks.forEach { $0(result) }
        return result
    }

    /// Calls `body` with the result once it has stopped (at once if it has).
    func whenStopped(_ body: @escaping @Sendable (Result<Void, WorkerFailure>) -> Void) {
        let done: Result<Void, WorkerFailure>? = lock.withLock {
            if case .stopped(let r) = current { return r }
            waiters.append(body)
            return nil
        }
        if let done { body(done) }
    }
}
