// Partitions' watermarks, asked again while the cluster moves a leader or a broker restarts.

import CRdKafka
import Glibc

/// Queries the low and high watermarks of partitions from their leaders.
///
/// Two faults of `rd_kafka_query_watermark_offsets` (librdkafka 2.0.2) are avoided here:
/// - it asks once: during a leader change or while a broker is down it fails with
///   NOT_LEADER_FOR_PARTITION, LEADER_NOT_AVAILABLE or a transport error, and a restore that
///   gave up on that would stop the worker for a fault the cluster heals in seconds;
/// - when one of its two requests (earliest, latest) is retried inside librdkafka, it can
///   answer *without an error* with the latest offset as the low watermark too (seen with
///   injected ListOffsets errors: 5/5 instead of 0/5), and a restore that believed that would
///   skip the partition's whole changelog.
///
/// So each watermark is asked in a request of its own (`rd_kafka_offsets_for_times` with
/// Kafka's special timestamps -2, earliest, and -1, latest; answers are matched by partition),
/// and the errors a leader change or broker restart causes are retried, with a pause, until
/// `timeoutMilliseconds` has passed in all. Any other error is thrown at once.
enum Watermarks {
    /// The errors that end once the cluster has settled on leaders again.
    static let transient: Set<Int32> = [
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH,
        RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH, RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__TIMED_OUT,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// The watermarks of `tp`, retrying transient errors until `timeoutMilliseconds` in all.
    static func query(_ handle: OpaquePointer, _ tp: TopicPartition, timeoutMilliseconds: Int32) throws(KafkaError) -> (low: Int64, high: Int64) {
        try query(handle, [tp], timeoutMilliseconds: timeoutMilliseconds)[tp] ?? (0, 0)
    }

    /// The watermarks of every partition in `partitions` (two requests per leader, not two per
    /// partition), retrying transient errors until `timeoutMilliseconds` in all.
    static func query(_ handle: OpaquePointer, _ partitions: [TopicPartition], timeoutMilliseconds: Int32) throws(KafkaError) -> [TopicPartition: (low: Int64, high: Int64)] {
        guard !partitions.isEmpty else { return [:] }
        let deadline = MonotonicClock.milliseconds() + Int64(timeoutMilliseconds)
        let low = try offsets(handle, partitions, at: Int64(RD_KAFKA_OFFSET_BEGINNING), "low watermark", deadline: deadline)
        let high = try offsets(handle, partitions, at: Int64(RD_KAFKA_OFFSET_END), "high watermark", deadline: deadline)
        var out: [TopicPartition: (low: Int64, high: Int64)] = [:]
        for tp in partitions { out[tp] = (low[tp] ?? 0, high[tp] ?? 0) }
        return out
    }

    /// The offsets Kafka answers for a special timestamp (-2 earliest, -1 latest).
    private static func offsets(_ handle: OpaquePointer, _ partitions: [TopicPartition], at timestamp: Int64, _ what: String,
                                deadline: Int64) throws(KafkaError) -> [TopicPartition: Int64] {
        var pause: UInt32 = 100_000  // µs; doubles to 1 s
        while true {
            let list = PartitionList.make(partitions.map { ($0, timestamp) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let left = Int32(clamping: max(1, deadline - MonotonicClock.milliseconds()))
            var err = rd_kafka_offsets_for_times(handle, list, left)
            var found: [TopicPartition: Int64] = [:]
            var failed: TopicPartition?
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                for (tp, offset, e) in PartitionList.read(list) {
                    if e != 0 || offset < 0 {
                        // An answer without a usable offset is retried like the error it carries.
                        err = e != 0 ? rd_kafka_resp_err_t(rawValue: e) : RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE
                        failed = tp
                        break
                    }
                    found[tp] = offset
                }
                if failed == nil { return found }
            }
            guard transient.contains(err.rawValue), MonotonicClock.milliseconds() + Int64(pause / 1000) < deadline else {
                let which = failed.map { "\($0)" } ?? partitions.map { "\($0)" }.joined(separator: ", ")
                try KafkaError.check(err, "\(what) of \(which)")
                return found  // not reached: check throws for every error
            }
            usleep(pause)
            pause = min(pause * 2, 1_000_000)
        }
    }
}
