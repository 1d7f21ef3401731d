// Reads given partitions from the beginning to their current end, outside any group.

import CRdKafka
import Glibc

/// A group-less reader: assigns the given partitions itself, reads each from its beginning
/// up to the high watermark it had when reading started, and stops. For restoring a changelog
/// partition and for global tables (every instance reads every outage).
public final class PartitionReader: @unchecked Sendable {
    // @unchecked: librdkafka's rd_kafka_t is thread-safe; one thread drives `readToEnd`.
    private let handle: OpaquePointer
    private let context = ClientContext(statistics: nil)

    /// A reader with `config` (`bootstrap.servers` at least; `group.id` is not used).
    public init(config: KafkaConfig) throws(KafkaError) {
        let c = config.groupLess
        handle = try NativeClient.make(RD_KAFKA_CONSUMER, c, context: context)
        rd_kafka_poll_set_consumer(handle)
    }

    deinit {
        rd_kafka_assign(handle, nil)
        _ = rd_kafka_consumer_close(handle)
        rd_kafka_destroy(handle)
    }

    /// Reads every record of `partitions` that exists now, handing them to `body` in batches,
    /// and returns how many were read. Each partition is read up to its high watermark as it
    /// was at the start; `timeoutMilliseconds` bounds the whole read.
    @discardableResult
    public func readToEnd(_ partitions: [TopicPartition], timeoutMilliseconds: Int32 = 60_000,
                          _ body: ([ConsumerRecord]) throws -> Void) throws -> Int {
        var remaining: [TopicPartition: Int64] = [:]  // partition → end offset still to reach
        for (tp, (low, high)) in try Watermarks.query(handle, partitions, timeoutMilliseconds: 30_000) where high > low {
            remaining[tp] = high
        }
        guard !remaining.isEmpty else { return 0 }
        let list = PartitionList.make(remaining.keys.sorted().map { ($0, Int64(RD_KAFKA_OFFSET_BEGINNING)) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_assign(handle, list), "assign")
        defer { rd_kafka_assign(handle, nil) }
        var count = 0
        let deadline = MonotonicClock.milliseconds() + Int64(timeoutMilliseconds)
        while !remaining.isEmpty {
            guard MonotonicClock.milliseconds() < deadline else {
                throw KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue,
                                 message: "reading \(remaining.keys.sorted()) to the end took longer than \(timeoutMilliseconds) ms")
            }
            let batch = pollTrackingEnds(handle, remaining: &remaining, keepAll: false)
            if !batch.isEmpty { try body(batch); count += batch.count }
        }
        return count
    }
}
