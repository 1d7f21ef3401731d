// A worker's owner queues: the assigned partitions split among several owners, one per core.

import Dispatch
import Foundation
import SLACore
import SLAKafka

/// The ``SubjectOwner``s of one worker, each holding the partitions whose number it is given
/// (partition `p` of every topic goes to owner `p % count`), with its own tracker, timer wheel,
/// catch-up gate and rollup books.
///
/// Why by partition number: a ticket, its changelog partition and its timers must be decided on
/// one queue, and partition `p` of an input and of its changelog are the same ticket set. An
/// owner decides alone; what spans owners is shared and already thread-safe: the outage table,
/// the emitter and its delivery ledger, the metrics (counts an owner holds are its part of a
/// ``GaugeSum``). A checkpoint is still one for the worker: it takes every owner's changed
/// states and offsets (each consistent with its own partitions), then the sequence waits for
/// every output emitted before, writes the states and commits, as with one owner. Ownership
/// before move and at-least-once are unchanged: a revoke checkpoints all owners before any
/// drops a partition.
///
/// `catch_up_rate` stays the worker's bound: each owner's gate lets through `catch_up_rate /
/// owners` firings per second (at least one), and catch-up fires oldest first within each
/// owner's partitions (Kafka orders nothing across partitions either).
final class SubjectOwners: @unchecked Sendable {
    // @unchecked: immutable after init; each owner hops onto its own queue.
    let owners: [SubjectOwner]

    /// `count` owners, each made by `make(index, catchUpRate share)`.
    init(count: Int, catchUpRate: Int, make: (Int, Int) -> SubjectOwner) {
        precondition(count >= 1)
        let share = Self.catchUpShare(rate: catchUpRate, owners: count)
        owners = (0..<count).map { make($0, share) }
    }

    /// Each owner's part of the worker's `catch_up_rate`: the rate split evenly, rounded down so
    /// the owners together stay within it, and at least one firing per second.
    static func catchUpShare(rate: Int, owners: Int) -> Int { max(1, rate / owners) }

    /// The metrics the poll thread records (producer queue, restore and commit durations).
    var metrics: WorkerMetrics { owners[0].metrics }

    /// The owner of partition `p` of any topic.
    func index(of p: Int32) -> Int { Int(p) % owners.count }

    /// Starts every owner's timers.
    func start() { owners.forEach { $0.start() } }

    /// Stops every owner's timers (shutdown).
    func stopTimers() { owners.forEach { $0.stopTimers() } }

    /// The worker's counters: the sum of its owners'.
    func snapshot() -> WorkerStats {
        var s = WorkerStats()
        for o in owners { s.add(o.snapshot()) }
        return s
    }

    /// A subject's explanation if one owner holds it, and the partitions of `topic` owned.
    func answer(_ id: SubjectID, partitionsOf topic: String) -> (held: [UInt8]?, owned: [Int32]) {
        var held: [UInt8]?, owned: [Int32] = []
        for o in owners {
            let a = o.answer(id, partitionsOf: topic)
            held = held ?? a.held
            owned += a.owned
        }
        return (held, owned.sorted())
    }

    /// Links, soon, on every owner (see ``SubjectOwner/relinkSoon(feeders:areas:)``).
    func relinkSoon(feeders: Set<String>, areas: Set<String>) {
        owners.forEach { $0.relinkSoon(feeders: feeders, areas: areas) }
    }

    /// Puts new files in force on every owner; `done` runs once, when all are, with their counts summed.
    func reload(policy: Policy, calendar: BusinessCalendar, done: @escaping @Sendable (ReloadSummary) -> Void) {
        let gather = Gather(count: owners.count, done: done)
        owners.forEach { $0.reload(policy: policy, calendar: calendar) { gather.add($0) } }
    }

    /// Applies a poll's records, each owner its own partitions' in order, the owners at once.
    /// Returns the partitions still reading their backlog.
    func process(_ records: [ConsumerRecord], slice: Int) -> [TopicPartition] {
        guard owners.count > 1 else { return owners[0].process(records, slice: slice) }
        var split = [[ConsumerRecord]](repeating: [], count: owners.count)
        for r in records { split[index(of: r.topicPartition.partition)].append(r) }
        let parts = split
        let lock = NSLock()
        nonisolated(unsafe) var backlogs: [TopicPartition] = []  // guarded by `lock`
        DispatchQueue.concurrentPerform(iterations: owners.count) { i in
            let b = owners[i].process(parts[i], slice: slice)
            if !b.isEmpty { lock.withLock { backlogs += b } }
        }
        return backlogs
    }

    /// Ends the backlog of partitions whose consumer position has reached its end.
    func backlogPositions(_ positions: [TopicPartition: Int64]) {
        for (i, o) in owners.enumerated() {
            let mine = positions.filter { index(of: $0.key.partition) == i }
            if !mine.isEmpty { o.backlogPositions(mine) }
        }
    }

    /// Every owner's checkpoint, taken together; then `partitions` are dropped by their owners.
    func checkpoint(dropping partitions: Set<TopicPartition> = []) -> Checkpoint {
        var cp = Checkpoint(rollups: [], changelog: [], offsets: [:])
        for (i, o) in owners.enumerated() {
            cp.add(o.checkpoint(dropping: partitions.filter { index(of: $0.partition) == i }))
        }
        return cp
    }

    /// Takes partitions over, each by its owner (see ``SubjectOwner/adopt(_:states:backlog:)``),
    /// the owners at once.
    func adopt(_ partitions: [TopicPartition], states: RestoredStates, backlog: [TopicPartition: Int64]) {
        guard owners.count > 1 else { return owners[0].adopt(partitions, states: states, backlog: backlog) }
        DispatchQueue.concurrentPerform(iterations: owners.count) { i in
            let mine = partitions.filter { index(of: $0.partition) == i }
            guard !mine.isEmpty else { return }
            owners[i].adopt(mine, states: states, backlog: backlog.filter { index(of: $0.key.partition) == i })
        }
    }

    /// Sums the owners' reload summaries and calls `done` after the last one.
    private final class Gather: @unchecked Sendable {
        // @unchecked: `summary` and `left` are guarded by `lock`.
        private let lock = NSLock()
        private var summary: ReloadSummary?
        private var left: Int
        private let done: @Sendable (ReloadSummary) -> Void
        init(count: Int, done: @escaping @Sendable (ReloadSummary) -> Void) { left = count; self.done = done }
        func add(_ s: ReloadSummary) {
            let finished: ReloadSummary? = lock.withLock {
                if summary == nil { summary = s } else { summary!.add(s) }
                left -= 1
                return left == 0 ? summary : nil
            }
            if let finished { done(finished) }
        }
    }
}
