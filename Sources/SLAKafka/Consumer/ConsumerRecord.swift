// A record read from Kafka, copied out of librdkafka's message.

import CRdKafka

/// A consumed record. Its bytes are copies: the native message is released at once.
public struct ConsumerRecord: Sendable, Equatable {
    /// Where it came from.
    public var topicPartition: TopicPartition
    /// Its offset.
    public var offset: Int64
    /// Key bytes, if any.
    public var key: [UInt8]?
    /// Value bytes; nil for a tombstone.
    public var value: [UInt8]?
    /// Headers in order.
    public var headers: [Header]
    /// Broker or producer timestamp, milliseconds since the epoch, when known.
    public var timestamp: Int64?

    /// One record header.
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: [UInt8]?
    }

    /// A record made by hand (tests, replay of a saved topic).
    public init(topicPartition: TopicPartition, offset: Int64, key: [UInt8]?, value: [UInt8]?,
                headers: [Header] = [], timestamp: Int64? = nil) {
        self.topicPartition = topicPartition; self.offset = offset; self.key = key; self.value = value
        self.headers = headers; self.timestamp = timestamp
    }

    /// Copies a native message (which the caller then destroys); `topics` names its topic.
    init(_ m: UnsafePointer<rd_kafka_message_t>, topics: inout TopicNames) {
        let msg = m.pointee
        topicPartition = TopicPartition(topics.name(of: msg.rkt), msg.partition)
        offset = msg.offset
        key = msg.key.map { Array(UnsafeRawBufferPointer(start: $0, count: msg.key_len)) }
        value = msg.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: msg.len)) }
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let ts = rd_kafka_message_timestamp(m, &type)
        timestamp = type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : ts
        headers = []
        var hdrs: OpaquePointer?
        if rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            var idx = 0
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(hdrs, idx, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                headers.append(Header(name: name.map { String(cString: $0) } ?? "",
                                      value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
                idx += 1
            }
        }
    }
}
