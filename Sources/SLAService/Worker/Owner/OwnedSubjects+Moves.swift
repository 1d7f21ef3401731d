// Partitions taken over with their restored states, and given up after a last checkpoint.

import Dispatch
import SLACore
import SLAKafka

extension OwnedSubjects {
    /// Takes partitions over with the subjects restored from their changelogs (latest state per
    /// key; nil = deleted). `backlog` gives, for partitions with input not yet read (written
    /// while nobody owned them, or after the last commit), the offset that ends it.
    ///
    /// Until a partition's backlog is read, its events are applied at their own time and its
    /// timers are held: an alarm must not fire for a clock whose stopping event is already
    /// waiting in the input. Then the held timers fire through the catch-up gate, oldest first.
    func adopt(_ partitions: [TopicPartition], states: RestoredStates, backlog: [TopicPartition: Int64] = [:]) {
        dispatchPrecondition(condition: .onQueue(queue))
        let now = clock.now()
        // Room for every incoming subject at once: growing three tables of a million entries
        // step by step was a third of a restore's time.
        let incoming = partitions.reduce(0) { $0 + (states.subjects[$1]?.count ?? 0) }
        tracker.reserveCapacity(tracker.count + incoming)
        partitionOf.reserveCapacity(partitionOf.count + incoming)
        slots.reserveCapacity(slots.count + incoming)
        var running: [Int: Int] = [:]  // stage → restored subjects running it
        var waiting: [UnresolvedReason.Code: Int] = [:]
        var stale: [SubjectID] = []
        // New fault tickets are filed in the place index at the end, each place's set in one go.
        var filing = SLATracker.PlaceFiling()
        defer {
            tracker.file(&filing)
            metrics.runningRestored(running)
            metrics.waitingRestored(waiting)
            if !stale.isEmpty || ownership.heldEvaluationCount > 0 {
                logger.notice("restored states were evaluated under other files; they are evaluated again under this instance's",
                              metadata: ["subjects": "\(stale.count + ownership.heldEvaluationCount)",
                                         "policy": "\(tracker.files.policyVersion)", "calendar": "\(tracker.files.calendarVersion)"])
            }
            if !stale.isEmpty { reevaluateLater(stale) }
            // An outage may have been entered while nobody held these tickets.
            relink(tracker.relinkCandidates(outages: outages))
        }
        for tp in partitions {
            ownership.adopt(tp, backlogEnd: backlog[tp])
            if tp.topic == outputs.settings.outcomesTopic {
                for (key, reason) in rollups.adopt(partition: tp.partition, states: states.rollups[tp] ?? [:], now: now) {
                    stats.unreadableStates += 1
                    logger.error("rollup state unreadable; it is skipped", metadata: ["key": "\(key)", "partition": "\(tp)", "reason": "\(reason)"])
                }
                continue
            }
            guard let type = outputs.subjectType(ofInput: tp.topic) else { continue }
            for (key, stored) in states.subjects[tp] ?? [:] {
                let id = SubjectID(type, key)
                let state: SubjectState
                switch stored {
                case .deleted: continue
                case .unreadable(let error):
                    stats.unreadableStates += 1
                    logger.error("changelog state unreadable; the subject is skipped", metadata: ["subject": "\(id)", "partition": "\(tp)", "reason": "\(error)"])
                    continue
                case .state(let s): state = s
                }
                tracker.restore(id, state: state, filing: &filing)
                partitionOf[id] = tp.partition
                stats.restored += 1
                for stage in state.runningStages { running[stage, default: 0] += 1 }
                for code in state.waitingReasons { waiting[code, default: 0] += 1 }
                // A record of the version-2 format has no due time: evaluate it now.
                arm(id, at: state.scheduledAt ?? now)
                // One evaluated under other files is evaluated under ours (rescheduled, retracted),
                // in slices, once its partition's backlog is read.
                if tracker.evaluatedUnderOtherFiles(state) {
                    if ownership.inBacklog(tp) { ownership.holdEvaluation(id, of: tp) } else { stale.append(id) }
                }
            }
        }
    }

    /// Returns the changelog records still owed (for every owned partition, so nothing written
    /// depends on what is dropped) and the offsets to commit, then drops the given partitions'
    /// subjects and timers (they are handed over).
    func checkpoint(dropping partitions: Set<TopicPartition> = []) -> Checkpoint {
        dispatchPrecondition(condition: .onQueue(queue))
        // Rollups are taken as values here and encoded by the caller, off this queue.
        var offsets = ownership.processed
        let outcomes = Set(partitions.lazy.filter { $0.topic == self.outputs.settings.outcomesTopic }.map(\.partition))
        let rolled = rollups.take(now: clock.now(), offsets: &offsets, dropping: outcomes)
        var records: [ProducerRecord] = []
        records.reserveCapacity(dirty.count)
        for id in dirty {
            guard let p = partitionOf[id] else { continue }
            let state = tracker.encodedState(of: id)
            records.append(outputs.changelogRecord(id, partition: p, state: state))
            if state == nil { partitionOf[id] = nil }
        }
        dirty.removeAll(keepingCapacity: true)
        let cp = Checkpoint(rollups: [rolled], changelog: records, offsets: offsets)
        if !partitions.isEmpty {
            for (id, p) in partitionOf where partitions.contains(TopicPartition(outputs.input(of: id.type), p)) {
                metrics.clocksChanged(from: clocks(of: id), to: SubjectClocks())
                tracker.drop(id)
                slots.disarm(id) { driver.cancel($0) }
                partitionOf[id] = nil
            }
            for tp in partitions {
                ownership.drop(tp)
                if tp.topic == outputs.settings.outcomesTopic { rollups.drop(partition: tp.partition) }
            }
        }
        stats.checkpoints += 1
        return cp
    }
}
