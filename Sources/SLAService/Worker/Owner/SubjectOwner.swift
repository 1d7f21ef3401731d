// The door to the owned partitions' state: one serial queue, and the only way onto it.

import Dispatch
import Logging
import SLACore
import SLAKafka

/// Holds the tickets and outages of the partitions a worker owns and runs their clocks.
///
/// Everything happens on one serial queue: input records, timer expiries, partition moves and
/// reloads, so a subject's state never races. The queue is private: each method here hops onto
/// it itself, and what runs there is ``OwnedSubjects``. Outputs are sent as they are produced;
/// the changelog state of each changed subject waits for the next checkpoint (see ``SLAWorker``).
final class SubjectOwner: @unchecked Sendable {
    // @unchecked: `subjects` is touched only on `queue`.
    private let queue: DispatchQueue
    private let subjects: OwnedSubjects
    /// This owner's metrics (thread-safe).
    let metrics: WorkerMetrics

    /// Owner number `index` of a worker (its queue's label says which); `metrics` records its part.
    init(index: Int, clock: any SLAClock, tracker: SLATracker, outages: any OutageLookup & Sendable, outputs: OutputTopics,
         emitter: OutputEmitter, catchUpRate: Int, metrics: WorkerMetrics, logger: Logger) {
        queue = DispatchQueue(label: "slawatch.worker.owner.\(index)")
        self.metrics = metrics
        subjects = OwnedSubjects(queue: queue, clock: clock, tracker: tracker, outages: outages, outputs: outputs,
                                 emitter: emitter, catchUpRate: catchUpRate, metrics: metrics, logger: logger)
    }

    /// Starts the timers.
    func start() { queue.sync { subjects.start() } }

    /// Stops the timers (shutdown): pending ones stay in the changelog for the next owner.
    func stopTimers() { queue.sync { subjects.stopTimers() } }

    /// The counters now.
    func snapshot() -> WorkerStats { queue.sync { subjects.snapshot() } }

    /// A subject's explanation as JSON if it is held here, and the partitions of `topic` owned.
    func answer(_ id: SubjectID, partitionsOf topic: String) -> (held: [UInt8]?, owned: [Int32]) {
        queue.sync { (subjects.explain(id), subjects.ownership.partitions(of: topic)) }
    }

    /// Links, soon, the held fault tickets on these feeders and areas that an outage just
    /// entered in the outage table covers (rule 1, whatever the arrival order).
    func relinkSoon(feeders: Set<String>, areas: Set<String>) {
        queue.async { [subjects] in subjects.relink(feeders: feeders, areas: areas) }
    }

    /// Puts new files in force on every held subject (see ``OwnedSubjects/reload(policy:calendar:done:)``).
    func reload(policy: Policy, calendar: BusinessCalendar, done: @escaping @Sendable (ReloadSummary) -> Void) {
        queue.async { [subjects] in subjects.reload(policy: policy, calendar: calendar, done: done) }
    }

    /// Applies a poll's records `slice` at a time, one hop each, so a timer that falls due
    /// meanwhile waits behind one slice, not behind the whole batch. Returns the partitions
    /// still reading their backlog.
    func process(_ records: [ConsumerRecord], slice: Int) -> [TopicPartition] {
        var start = 0
        while records.count - start > slice {
            queue.sync { subjects.process(records[start..<(start + slice)]) }
            start += slice
        }
        return queue.sync {
            if start < records.count { subjects.process(records[start...]) }
            return subjects.ownership.backlogPartitions
        }
    }

    /// Ends the backlog of partitions whose consumer position has reached its end.
    func backlogPositions(_ positions: [TopicPartition: Int64]) { queue.sync { subjects.backlogPositions(positions) } }

    /// What the next checkpoint must make durable; then drops `partitions` (see ``OwnedSubjects/checkpoint(dropping:)``).
    func checkpoint(dropping partitions: Set<TopicPartition> = []) -> Checkpoint {
        queue.sync { subjects.checkpoint(dropping: partitions) }
    }

    /// Takes partitions over with their restored states (see ``OwnedSubjects/adopt(_:states:backlog:)``).
    func adopt(_ partitions: [TopicPartition], states: RestoredStates, backlog: [TopicPartition: Int64]) {
        queue.sync { subjects.adopt(partitions, states: states, backlog: backlog) }
    }
}
