// Input records applied to the held subjects, and the ones that go to the dead letters.

import Dispatch
import SLACore
import SLAKafka

extension OwnedSubjects {
    /// Reads and applies a slice of input records, sending outputs and dead letters.
    func process(_ records: ArraySlice<ConsumerRecord>) {
        dispatchPrecondition(condition: .onQueue(queue))
        defer { emitPending() }
        for r in records {
            // A record fetched before its partition was revoked is not ours any more.
            guard ownership.owns(r.topicPartition) else { continue }
            stats.consumed += 1
            metrics.consumed(topic: r.topicPartition.topic)
            ownership.processed(r.topicPartition, offset: r.offset)
            defer { if ownership.endsBacklog(r.topicPartition, offset: r.offset) { release(ownership.endBacklog(r.topicPartition)) } }
            switch intake.read(r) {
            case .outcome:
                if let reason = rollups.apply(r, now: clock.now()) {
                    metrics.decodeError(topic: r.topicPartition.topic)
                    deadLetter(r, reason: reason)
                }
            case .rejected(let reason, let malformed):
                if malformed { metrics.decodeError(topic: r.topicPartition.topic) }
                deadLetter(r, reason: reason)
            case .event(let event):
                apply(event, from: r)
            }
        }
    }

    /// One event of a held (or new) subject.
    private func apply(_ event: InboundEvent, from r: ConsumerRecord) {
        let step: TrackerStep
        let before = clocks(of: event.subject)
        let wall = clock.now()
        // In a backlog the event is judged at its own time: what it stops has not fallen due
        // "now", whatever the wall clock says.
        let inBacklog = ownership.inBacklog(r.topicPartition)
        do throws(EventRejection) {
            step = try tracker.apply(event, now: inBacklog ? min(event.occurredAt, wall) : wall, outages: outages)
        } catch {
            deadLetter(r, reason: error.description)
            return
        }
        metrics.clocksChanged(from: before, to: clocks(of: event.subject))
        if case .refused(let why) = step.disposition {
            // The subject grew past what may be kept: its clocks stop, the event goes to the dead letters.
            stats.refusedSubjects += 1
            metrics.refusedSubject(event.subject.type)
            logger.error("subject refused; its clocks are stopped and its later events dead-lettered", metadata: [
                "subject": "\(event.subject)", "source": "\(r.topicPartition)@\(r.offset)", "reason": "\(why)",
            ])
            partitionOf[event.subject] = r.topicPartition.partition
            deadLetter(r, reason: why)
        }
        if step.disposition == .duplicate { stats.duplicates += 1; metrics.duplicates.increment() }
        if step.disposition == .applied { partitionOf[event.subject] = r.topicPartition.partition }
        carryOut(step.actions, detectedAt: wall)
    }

    private func deadLetter(_ r: ConsumerRecord, reason: String) {
        stats.deadLettered += 1
        metrics.deadLettered(topic: r.topicPartition.topic)
        logger.warning("record dead-lettered", metadata: ["source": "\(r.topicPartition)@\(r.offset)", "reason": "\(reason)"])
        pending.append(intake.deadLetter(r, reason: reason))
    }
}
