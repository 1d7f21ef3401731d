// Which partition a key lands on, as the producers that wrote it would choose.

import CRdKafka

/// The partition of a record key under the two partitioners producers use, computed by
/// librdkafka's own functions: its default (`consistent_random`: CRC32 of the key) and the
/// Java client's default (`murmur2`). The owner of a ticket is the owner of that partition.
public enum KeyPartition {
    /// The partition librdkafka's default partitioner gives a non-empty key.
    public static func crc32(_ key: String, partitions: Int32) -> Int32 {
        precondition(partitions > 0)
        var bytes = Array(key.utf8)
        return bytes.withUnsafeMutableBytes { rd_kafka_msg_partitioner_consistent(nil, $0.baseAddress, $0.count, partitions, nil, nil) }
    }

    /// The partition the Java client's default partitioner (and librdkafka's `murmur2`) gives a key.
    public static func murmur2(_ key: String, partitions: Int32) -> Int32 {
        precondition(partitions > 0)
        var bytes = Array(key.utf8)
        return bytes.withUnsafeMutableBytes { rd_kafka_msg_partitioner_murmur2(nil, $0.baseAddress, $0.count, partitions, nil, nil) }
    }
}
