// What the owner of partition state is told when partitions move between instances.

/// Receives partition ownership changes, synchronously, from inside librdkafka's rebalance
/// callback on the thread that polls the consumer.
///
/// slawatch's SLA timers live with the partition that owns them, so both calls are hand-offs,
/// not notifications:
/// - ``partitionsAssigned(_:consumer:)``: the partitions are assigned **paused**; no record of
///   theirs is delivered until the owner has restored their state and called
///   ``KafkaConsumer/resume(_:)``.
/// - ``partitionsRevoked(_:consumer:)``: the owner must flush its outputs, commit and drop the
///   partitions' state **before returning**; only then does librdkafka give them up.
public protocol RebalanceListener: AnyObject, Sendable {
    /// New partitions, paused until the owner resumes them.
    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer)
    /// Partitions leaving; finish with them before returning.
    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer)
}
