// What one checkpoint takes from the owner: rollups, changed states, offsets.

import SLAKafka

/// What a checkpoint must make durable before it commits (after the outputs emitted before
/// it, which ``OutputEmitter/drain()`` numbers).
struct Checkpoint: Sendable {
    /// The rollups changed up to the snapshot, one take per owner: published first, their
    /// state with the changelog.
    var rollups: [RollupStage.Taken]
    /// The changed subjects' states (and tombstones).
    var changelog: [ProducerRecord]
    /// Next offset per input partition, processed into those states.
    var offsets: [TopicPartition: Int64]

    /// The records in the order the sequence sends them. Rollups are encoded here, by the
    /// caller, not on the owner's queue (timers wait behind that queue).
    func snapshot() -> CheckpointSequence.Snapshot {
        var publish: [ProducerRecord] = [], state: [ProducerRecord] = []
        for taken in rollups {
            let rolled = taken.records()
            publish += rolled.publish
            state += rolled.state
        }
        return .init(publish: publish, changelog: state + changelog, offsets: offsets)
    }

    /// Adds another owner's checkpoint (other partitions) to this one.
    mutating func add(_ o: Checkpoint) {
        rollups += o.rollups
        changelog += o.changelog
        offsets.merge(o.offsets) { a, _ in a }
    }
}
