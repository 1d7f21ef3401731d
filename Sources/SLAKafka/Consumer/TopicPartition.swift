// A partition of a topic, and the conversion to and from librdkafka's partition lists.

import CRdKafka

/// One partition of one topic.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Topic name.
    public var topic: String
    /// Partition number.
    public var partition: Int32

    /// A topic partition.
    public init(_ topic: String, _ partition: Int32) { self.topic = topic; self.partition = partition }

    public static func < (a: TopicPartition, b: TopicPartition) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
    public var description: String { "\(topic)[\(partition)]" }
}

/// Builds and reads librdkafka's `rd_kafka_topic_partition_list_t`.
enum PartitionList {
    /// A new native list (caller destroys it) with an offset per partition when given.
    static func make(_ items: [(TopicPartition, Int64?)]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(max(items.count, 1)))!
        for (tp, offset) in items {
            let e = rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition)!
            if let offset { e.pointee.offset = offset }
        }
        return list
    }

    /// The partitions of a native list, with their offsets and per-partition errors.
    static func read(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [(TopicPartition, offset: Int64, err: Int32)] {
        guard let list, list.pointee.cnt > 0, let elems = list.pointee.elems else { return [] }
        return (0..<Int(list.pointee.cnt)).map { k in
            let e = elems[k]
            return (TopicPartition(String(cString: e.topic), e.partition), e.offset, e.err.rawValue)
        }
    }
}
