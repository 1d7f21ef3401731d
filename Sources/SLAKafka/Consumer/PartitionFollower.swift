// Reads given partitions from the beginning and keeps following them, outside any group.

import CRdKafka
import Foundation

/// A group-less follower for global tables (every instance reads every outage): it assigns
/// the partitions itself from their beginning, hands records to its owner in batches on its
/// own thread, says once when it has reached the end the partitions had when it started, and
/// goes on following until stopped.
public final class PartitionFollower: @unchecked Sendable {
    // @unchecked: librdkafka's rd_kafka_t is thread-safe; everything else is used on the
    // follower's thread only.
    private let handle: OpaquePointer
    private let context = ClientContext(statistics: nil)
    private let thread = PollThread(name: "slawatch-follower")

    /// A follower with `config` (`bootstrap.servers` and security settings; no group is joined).
    public init(config: KafkaConfig) throws(KafkaError) {
        var c = config.groupLess
        if c["fetch.wait.max.ms"] == nil { c["fetch.wait.max.ms"] = "100" }
        handle = try NativeClient.make(RD_KAFKA_CONSUMER, c, context: context)
        rd_kafka_poll_set_consumer(handle)
    }

    deinit {
        stop()
        rd_kafka_assign(handle, nil)
        _ = rd_kafka_consumer_close(handle)
        rd_kafka_destroy(handle)
    }

    /// Starts following `partitions` from their beginning. `onBatch` gets every record, in
    /// order per partition; `onCaughtUp` runs once, after the records that existed at the start.
    public func start(_ partitions: [TopicPartition], onBatch: @escaping @Sendable ([ConsumerRecord]) -> Void,
                      onCaughtUp: @escaping @Sendable () -> Void) throws(KafkaError) {
        var ends: [TopicPartition: Int64] = [:]
        for (tp, (low, high)) in try Watermarks.query(handle, partitions, timeoutMilliseconds: 30_000) where high > low {
            ends[tp] = high
        }
        let list = PartitionList.make(partitions.sorted().map { ($0, Int64(RD_KAFKA_OFFSET_BEGINNING)) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_assign(handle, list), "assign")
        let initialEnds = ends
        thread.start { [self] t in
            var remaining = initialEnds
            var told = false
            if remaining.isEmpty { onCaughtUp(); told = true }
            while t.isRunning {
                let batch = pollTrackingEnds(handle, remaining: &remaining, keepAll: true)
                if !batch.isEmpty { onBatch(batch) }
                if !told, remaining.isEmpty { onCaughtUp(); told = true }
            }
        }
    }

    /// Stops following and waits for the thread; later calls return at once.
    public func stop() { thread.stop() }
}
