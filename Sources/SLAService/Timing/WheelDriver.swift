// Drives a TimingWheel from one DispatchSourceTimer on its owner's serial queue.

import Dispatch
import SLACore

/// Runs a ``TimingWheel`` in real (or accelerated, or manual) time.
///
/// One `DispatchSourceTimer` on the owner's serial queue is armed for the wheel's next wakeup
/// and re-armed only when an earlier timer arrives or after it fires: with nothing due, nothing
/// runs. Expired timers are handed to `onExpire` on the same queue, in deadline order, so the
/// owner's state never races with its timers.
///
/// Every method must be called on `queue`.
public final class WheelDriver<Payload: BitwiseCopyable & Sendable>: @unchecked Sendable {
    // @unchecked: every stored property is touched only on `queue` (checked by dispatchPrecondition).
    private let queue: DispatchQueue
    private let clock: any SLAClock
    private let onExpire: ([ExpiredTimer<Payload>]) -> Void
    private var wheel: TimingWheel<Payload>
    private let source: DispatchSourceTimer
    private var armedFor: Int64?
    private var expired: [ExpiredTimer<Payload>] = []
    private var running = false
    /// How many times the system timer woke the driver (for tests and metrics).
    public private(set) var wakeups = 0

    /// A driver whose wheel starts at the clock's current time.
    public init(queue: DispatchQueue, clock: any SLAClock, capacity: Int = 0,
                onExpire: @escaping ([ExpiredTimer<Payload>]) -> Void) {
        self.queue = queue
        self.clock = clock
        self.onExpire = onExpire
        self.wheel = TimingWheel(now: clock.now().milliseconds, capacity: capacity)
        self.source = DispatchSource.makeTimerSource(queue: queue)
        // weak: an expiry already queued when the last owner lets go must find nothing, not a
        // destroyed object (an unowned capture crashed a test run).
        source.setEventHandler { [weak self] in
            guard let self else { return }
            self.wakeups += 1
            self.armedFor = nil
            self.run()
        }
        let q = queue
        clock.onJump { [weak self] in
            q.async { [weak self] in self?.run() }
        }
    }

    deinit {
        source.setEventHandler {}
        if !running { source.resume() }  // a suspended source must be resumed before it is released
        source.cancel()
    }

    /// Starts firing timers.
    public func start() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !running else { return }
        running = true
        source.resume()
        run()
    }

    /// Stops firing timers; pending ones stay scheduled.
    public func stop() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard running else { return }
        running = false
        source.suspend()
        armedFor = nil
    }

    /// Timers pending.
    public var pending: Int { wheel.count }

    /// The wheel's memory, for metrics and benchmarks.
    public var memoryFootprint: Int { wheel.memoryFootprint }

    /// Schedules a timer for `deadline`.
    public func schedule(at deadline: Timestamp, _ payload: Payload) -> TimerHandle {
        dispatchPrecondition(condition: .onQueue(queue))
        let h = wheel.schedule(at: deadline.milliseconds, payload)
        if running, armedFor.map({ deadline.milliseconds < $0 }) ?? true { arm() }
        return h
    }

    /// Cancels a timer; false when it already fired or was cancelled.
    @discardableResult
    public func cancel(_ h: TimerHandle) -> Bool {
        dispatchPrecondition(condition: .onQueue(queue))
        // The system timer stays armed: waking once for nothing is cheaper than re-arming per cancel.
        return wheel.cancel(h)
    }

    /// Fires what is due at the clock's current time, then re-arms.
    private func run() {
        guard running else { return }
        wheel.advance(to: clock.now().milliseconds, into: &expired)
        if !expired.isEmpty {
            let batch = expired
            expired.removeAll(keepingCapacity: true)
            onExpire(batch)
        }
        arm()
    }

    private func arm() {
        guard let wake = wheel.nextWakeup() else {
            armedFor = nil
            source.schedule(deadline: .distantFuture)
            return
        }
        guard armedFor != wake else { return }
        armedFor = wake
        guard let ms = clock.realMilliseconds(until: Timestamp(milliseconds: wake)) else {
            source.schedule(deadline: .distantFuture)  // a manual clock announces its jumps
            return
        }
        source.schedule(deadline: .now() + .milliseconds(Int(max(0, min(ms, Int64(Int32.max))))), leeway: .milliseconds(1))
    }
}
