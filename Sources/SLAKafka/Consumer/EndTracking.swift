// The poll step shared by the group-less readers: a batch of records, and which partitions reached their end.

import CRdKafka

/// Polls an assign-mode consumer (`enable.partition.eof=true`) for up to `maxRecords` records,
/// waiting at most 100 ms for the first. Partitions in `remaining` (partition → end offset to
/// reach) are removed once a record at `end - 1` or an end-of-partition event at or past `end`
/// is seen; the latter ends partitions whose last offsets were compacted away.
///
/// With `keepAll` false, records at or past their partition's end are left out (a read to the
/// end); with true, every record is returned (following).
func pollTrackingEnds(_ handle: OpaquePointer, remaining: inout [TopicPartition: Int64], maxRecords: Int = 1_000,
                      keepAll: Bool) -> [ConsumerRecord] {
    var batch: [ConsumerRecord] = []
    var timeout: Int32 = 100
    var topics = TopicNames()
    while batch.count < maxRecords, let m = rd_kafka_consumer_poll(handle, timeout) {
        defer { rd_kafka_message_destroy(m) }
        timeout = 0
        if m.pointee.err == RD_KAFKA_RESP_ERR__PARTITION_EOF, let rkt = m.pointee.rkt {
            let tp = TopicPartition(topics.name(of: rkt), m.pointee.partition)
            if let end = remaining[tp], m.pointee.offset >= end { remaining[tp] = nil }
            continue
        }
        guard m.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
        let r = ConsumerRecord(m, topics: &topics)
        let end = remaining[r.topicPartition]
        if let end, r.offset + 1 >= end { remaining[r.topicPartition] = nil }
        if keepAll || (end.map { r.offset < $0 } ?? false) { batch.append(r) }
    }
    return batch
}

extension KafkaConfig {
    /// The settings of a consumer that assigns partitions itself and never commits.
    var groupLess: KafkaConfig {
        var c = self
        // librdkafka wants a group id for a consumer handle even when no group is joined;
        // nothing is committed under it.
        if c["group.id"] == nil { c["group.id"] = "slawatch-groupless-unused" }
        c["enable.auto.commit"] = "false"
        c["enable.auto.offset.store"] = "false"
        // End of partition is reported, so a compacted partition whose last offsets were
        // removed still ends a read.
        c["enable.partition.eof"] = "true"
        return c
    }
}
