// The largest record the producer may send, and what is sent instead of one that is larger.

import SLAKafka

/// The producer's `message.max.bytes`, applied before a record reaches librdkafka.
///
/// librdkafka refuses a larger record outright (`MSG_SIZE_TOO_LARGE`), and the worker used to
/// stop on it — at every restart, on the same input. The contract's field limits and the
/// tracker's state limits keep every record well inside the budget; this is the net under
/// them: a record that still does not fit is replaced by a dead letter that names it (its
/// topic, key, size and a prefix of its value), counted in `slawatch_oversized_records_total`,
/// and the worker goes on.
struct RecordBudget: Sendable {
    /// librdkafka's default `message.max.bytes`.
    static let librdkafkaDefault = KafkaConfig.defaultMessageMaxBytes
    /// Bytes kept for librdkafka's framing of one record (its v2 overhead is well below this).
    static let framing = 512

    /// The producer's `message.max.bytes`.
    let maxBytes: Int
    /// Where a replacement goes.
    let deadLetterTopic: String

    init(kafka: KafkaConfig, deadLetterTopic: String) {
        maxBytes = kafka.messageMaxBytes
        self.deadLetterTopic = deadLetterTopic
    }

    init(maxBytes: Int, deadLetterTopic: String) {
        self.maxBytes = maxBytes; self.deadLetterTopic = deadLetterTopic
    }

    /// Largest stored state the tracker may keep: a changelog record holds it with its key.
    var maxStateBytes: Int { max(4_096, maxBytes - Self.framing - 1_024 - 128) }

    /// The bytes a record takes against the budget.
    static func size(of r: ProducerRecord) -> Int {
        framing + (r.key?.count ?? 0) + (r.value?.count ?? 0) + r.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.count + 8 }
    }

    /// Whether `r` may be sent as it is.
    func fits(_ r: ProducerRecord) -> Bool { Self.size(of: r) <= maxBytes }

    /// The dead letter sent in place of `r`, which does not fit: it names the record, and keeps
    /// as much of its key and value as fits.
    func replacement(for r: ProducerRecord, what: String) -> ProducerRecord {
        let size = Self.size(of: r)
        let key = r.key.map { Array($0.prefix(256)) }
        var headers: [(name: String, value: [UInt8])] = [
            ("slawatch.reason", Array("output record over message.max.bytes: \(what) is \(size) bytes, the producer takes \(maxBytes)".utf8.prefix(1_024))),
            ("slawatch.output.topic", Array(r.topic.utf8)),
            ("slawatch.truncated_from", Array(String(r.value?.count ?? 0).utf8)),
        ]
        if let p = r.partition { headers.append(("slawatch.output.partition", Array(String(p).utf8))) }
        var out = ProducerRecord(topic: deadLetterTopic, key: key, value: nil, headers: headers)
        let room = max(0, maxBytes - Self.size(of: out) - 64)
        out.value = r.value.map { Array($0.prefix(room)) }
        return out
    }
}
