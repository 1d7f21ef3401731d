// Topic names of consumed messages, made into Swift strings once per run of messages.

import CRdKafka

/// Remembers the name of the last topic handle seen: a batch's messages come in runs from one
/// topic, and a `String` made from the C name for every message was one heap allocation per
/// record (names longer than 15 bytes are not stored inline).
struct TopicNames {
    private var last: (handle: OpaquePointer, name: String)?

    /// The name of `rkt` ("" for a message without a topic).
    mutating func name(of rkt: OpaquePointer?) -> String {
        guard let rkt else { return "" }
        if let last, last.handle == rkt { return last.name }
        let name = String(cString: rd_kafka_topic_name(rkt))
        last = (rkt, name)
        return name
    }
}
