// Many clocks standing in memory, no broker: the owner's tables at a size no broker here holds.

import Dispatch
import Foundation
import SLACore
import SLAService

/// The owner's per-subject tables as the worker keeps them — the tracker, the slot table, a
/// ``WheelDriver`` on a serial queue and the partition of each subject — filled with standing
/// fault-repair clocks, then probed with short clocks applied and fired on that queue.
///
/// Why not the worker itself: 10 000 000 tickets through the development broker need about
/// 840 partitions of at most 5 MB each, twice (input and changelog), and the run would be
/// mostly the broker's. This phase keeps what the owner keeps per subject and drops Kafka.
final class StandingClocks: @unchecked Sendable {
    // @unchecked: every stored var but `late` is touched only on `queue`; `late` under `lock`.
    private let queue = DispatchQueue(label: "bench.owner")
    private var tracker: SLATracker
    private var slots = SubjectSlots()
    private var driver: WheelDriver<UInt32>!
    private var partitionOf: [SubjectID: Int32] = [:]
    private let lock = NSLock()
    private var late: [Double] = []
    private var recording = false

    init(policy: Policy, calendar: BusinessCalendar) {
        tracker = SLATracker(policy: policy, calendar: calendar)
        driver = WheelDriver(queue: queue, clock: SystemClock()) { [weak self] in self?.expired($0) }
        queue.sync { driver.start() }
    }

    /// Subjects held.
    var count: Int { queue.sync { tracker.count } }

    /// Creates fault-repair tickets `range` (2 h clocks, created over the last hour so their
    /// deadlines spread over the wheel's slots and none falls due during the probes).
    func stand(_ range: Range<Int>, now: Timestamp) throws {
        try queue.sync {
            for i in range {
                let created = now.adding(.seconds(Int64(-(i % 3600))))
                try apply(BenchPolicy.created(i, kind: "fault_repair", at: created), partition: Int32(i % 48), now: now)
            }
        }
    }

    /// Applies a probe ticket (a 2 s clock) on the owner's queue, as a record would be.
    func probe(_ i: Int, at now: Timestamp) {
        queue.async { [self] in try? apply(BenchPolicy.created(i, kind: "complaint", at: now), partition: Int32(i % 48), now: now) }
    }

    /// Starts or stops keeping the lateness of fired timers.
    func record(_ on: Bool) { lock.withLock { recording = on; if on { late.removeAll() } } }

    /// Lateness (fired − deadline, seconds) of the timers fired while recording.
    var recorded: [Double] { lock.withLock { late } }

    /// Stops the driver (the deinit of a running source would be premature otherwise).
    func stop() { queue.sync { driver.stop() } }

    private func apply(_ bytes: [UInt8], partition: Int32, now: Timestamp) throws {
        let e = try EventDecoder.ticket(bytes)
        let step = try tracker.apply(.ticket(e), now: now)
        partitionOf[InboundEvent.ticket(e).subject] = partition
        for a in step.actions {
            switch a {
            case .schedule(let id, let at): slots.arm(id, cancel: { driver.cancel($0) }, schedule: { driver.schedule(at: at, $0) })
            case .cancelTimer(let id), .forget(let id): slots.disarm(id) { driver.cancel($0) }
            case .emit, .outcome, .persist: break  // encoding and producing are the emitter's, not measured here
            }
        }
    }

    private func expired(_ batch: [ExpiredTimer<UInt32>]) {
        let now = SystemClock.read()
        lock.withLock { if recording { for e in batch { late.append(Double(now.milliseconds - e.deadline) / 1000) } } }
        for e in batch {
            guard let id = slots.fired(e.payload) else { continue }
            _ = tracker.fire(id, now: now)
        }
    }
}
