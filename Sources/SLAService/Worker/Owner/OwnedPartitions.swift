// What an owner knows of the partitions it holds: which, how far processed, which still read
// their backlog, and what waits for a backlog to end. A value: no queue, no clock, no Kafka.

import SLAKafka
import SLACore

/// The owned-partitions bookkeeping of a ``SubjectOwner``, and the backlog rule.
///
/// A partition assigned with input not yet read (written while nobody owned it, or after the
/// last commit) is *in backlog* until the record before its end offset is processed, or the
/// consumer's position passes that offset (the last records may be gone: transaction markers,
/// deleted segments). While it is, its events are judged at their own time and its timers and
/// re-evaluations are *held*; when it ends, they are released, timers oldest first.
struct OwnedPartitions {
    /// Next offset to commit per owned input partition.
    private(set) var processed: [TopicPartition: Int64] = [:]
    private(set) var owned = Set<TopicPartition>()
    /// Partitions in backlog, and the offset that ends each backlog.
    private var backlogEnd: [TopicPartition: Int64] = [:]
    /// Timers of backlog partitions that fell due, with their due time.
    private var heldTimers: [TopicPartition: [(id: SubjectID, due: Int64)]] = [:]
    /// Subjects to evaluate again under the files in force once their backlog is read.
    private var heldEvaluations: [TopicPartition: [SubjectID]] = [:]

    /// What a backlog's end releases.
    struct Released: Equatable {
        /// Held timers, oldest due first (to the catch-up gate).
        var timers: [SubjectID] = []
        /// Subjects to evaluate again.
        var evaluations: [SubjectID] = []
        var isEmpty: Bool { timers.isEmpty && evaluations.isEmpty }
    }

    /// Takes a partition; with `backlogEnd`, it is in backlog until that offset.
    mutating func adopt(_ tp: TopicPartition, backlogEnd end: Int64? = nil) {
        owned.insert(tp)
        if let end { backlogEnd[tp] = end }
    }

    /// Whether the partition is owned.
    func owns(_ tp: TopicPartition) -> Bool { owned.contains(tp) }

    /// Whether the partition is still reading its backlog.
    func inBacklog(_ tp: TopicPartition) -> Bool { backlogEnd[tp] != nil }

    /// Whether any partition reads its backlog (the cheap test before looking one up).
    var anyInBacklog: Bool { !backlogEnd.isEmpty }

    /// Partitions still reading their backlog.
    var backlogPartitions: [TopicPartition] { Array(backlogEnd.keys) }

    /// Input partitions owned of a topic, in order.
    func partitions(of topic: String) -> [Int32] { owned.filter { $0.topic == topic }.map(\.partition).sorted() }

    /// Notes a record processed (its offset + 1 is the next to commit).
    mutating func processed(_ tp: TopicPartition, offset: Int64) { processed[tp] = offset + 1 }

    /// Whether the record at `offset` is the last of the partition's backlog.
    func endsBacklog(_ tp: TopicPartition, offset: Int64) -> Bool { backlogEnd[tp].map { offset + 1 >= $0 } ?? false }

    /// Holds a timer of a backlog partition until the backlog is read.
    mutating func holdTimer(_ id: SubjectID, due: Int64, of tp: TopicPartition) { heldTimers[tp, default: []].append((id, due)) }

    /// Holds a subject's re-evaluation until its partition's backlog is read.
    mutating func holdEvaluation(_ id: SubjectID, of tp: TopicPartition) { heldEvaluations[tp, default: []].append(id) }

    /// Subjects whose re-evaluation waits.
    var heldEvaluationCount: Int { heldEvaluations.values.reduce(0) { $0 + $1.count } }

    /// Ends a partition's backlog: what it held comes out.
    mutating func endBacklog(_ tp: TopicPartition) -> Released {
        backlogEnd[tp] = nil
        let timers = (heldTimers.removeValue(forKey: tp) ?? []).sorted { $0.due < $1.due }.map(\.id)
        return Released(timers: timers, evaluations: heldEvaluations.removeValue(forKey: tp) ?? [])
    }

    /// The backlogs the consumer's positions have passed, ended, with what they release.
    mutating func positions(_ positions: [TopicPartition: Int64]) -> [Released] {
        let passed = backlogEnd.filter { (positions[$0.key] ?? -1) >= $0.value }.keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        return passed.map { endBacklog($0) }
    }

    /// Forgets a partition given up (its held work goes with its subjects).
    mutating func drop(_ tp: TopicPartition) {
        processed[tp] = nil; owned.remove(tp); backlogEnd[tp] = nil; heldTimers[tp] = nil; heldEvaluations[tp] = nil
    }
}
