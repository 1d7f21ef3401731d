// What one checkpoint takes from the owner: rollups, changed states, offsets.

import SLAKafka

/// What a checkpoint must make durable before it commits (after the outputs emitted before
/// it, which ``OutputEmitter/drain()`` numbers).
struct Checkpoint: Sendable {
    /// The rollups changed up to the snapshot: published first, their state with the changelog.
    var rollups: RollupStage.Taken
    /// The changed subjects' states (and tombstones).
    var changelog: [ProducerRecord]
    /// Next offset per input partition, processed into those states.
    var offsets: [TopicPartition: Int64]

    /// The records in the order the sequence sends them. Rollups are encoded here, by the
    /// caller, not on the owner's queue (timers wait behind that queue).
    func snapshot() -> CheckpointSequence.Snapshot {
        let rolled = rollups.records()
        return .init(publish: rolled.publish, changelog: rolled.state + changelog, offsets: offsets)
    }
}
