// Timers: armed per subject, held while their partition reads its backlog, fired through the catch-up gate.

import Dispatch
import SLACore
import SLAKafka

extension OwnedSubjects {
    /// Timers the wheel found due (on the queue).
    func expired(_ batch: [ExpiredTimer<UInt32>]) {
        // Lateness of the timer itself (fired − deadline); the catch-up gate may add to it.
        let now = clock.now().milliseconds
        for e in batch { metrics.lateness.record(Double(now - e.deadline) / 1000) }
        var ready: [SubjectID] = []
        ready.reserveCapacity(batch.count)
        for e in batch {
            guard let id = slots.fired(e.payload) else { continue }
            // A clock whose stopping event may still wait in the backlog does not fire yet.
            if let tp = backlogPartition(of: id) {
                ownership.holdTimer(id, due: e.deadline, of: tp)
            } else {
                ready.append(id)
            }
        }
        gate.enqueue(ready)
        fireAllowed()
    }

    /// Fires what the catch-up gate lets through now, and comes back when it lets more.
    func fireAllowed() {
        defer { emitPending() }
        let (due, retry) = gate.take(now: clock.elapsedMilliseconds())
        let now = clock.now()
        for id in due {
            let before = clocks(of: id)
            carryOut(tracker.fire(id, now: now).actions)
            metrics.clocksChanged(from: before, to: clocks(of: id))
        }
        if let retry, !gateArmed {
            gateArmed = true
            queue.asyncAfter(deadline: .now() + .milliseconds(retry)) { [weak self] in
                self?.gateArmed = false
                self?.fireAllowed()
            }
        }
    }

    /// Arms (or moves) the subject's one timer.
    func arm(_ id: SubjectID, at t: Timestamp) {
        slots.arm(id, cancel: { driver.cancel($0) }, schedule: { driver.schedule(at: t, $0) })
    }

    /// Ends the backlog of partitions whose consumer position has reached its end (the last
    /// records may be gone: transaction markers, deleted segments).
    func backlogPositions(_ positions: [TopicPartition: Int64]) {
        dispatchPrecondition(condition: .onQueue(queue))
        for released in ownership.positions(positions) { release(released) }
    }

    /// What a backlog's end releases: re-evaluations, and held timers through the catch-up gate.
    func release(_ r: OwnedPartitions.Released) {
        if !r.evaluations.isEmpty { reevaluateLater(r.evaluations) }
        guard !r.timers.isEmpty else { return }
        gate.enqueue(r.timers)
        fireAllowed()
    }
}
