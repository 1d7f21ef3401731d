// Where each kind of record the worker writes goes, and how it is keyed.

import SLACore
import SLAKafka

/// Turns tracker output into Kafka records: SLA events, changelog states, dead letters.
struct OutputTopics: Sendable {
    let settings: WorkerSettings
    let calendar: BusinessCalendar
    /// The producer's `message.max.bytes`: a dead letter keeps as much of its input as fits.
    var recordLimit = RecordBudget.librdkafkaDefault

    /// The ops desks get what needs action; the lifecycle topic gets the rest.
    func topic(of e: SLAEvent) -> String {
        e.type.forOpsDesk ? settings.escalationsTopic : settings.eventsTopic
    }

    /// An emitted event, keyed by its ticket or outage id, with its id and type as headers so
    /// consumers can route or drop repeats without parsing.
    func record(_ e: SLAEvent) -> ProducerRecord {
        ProducerRecord(topic: topic(of: e), key: Array(e.subject.id.utf8), value: e.json(calendar: calendar),
                       headers: [("event_id", Array(e.eventId.utf8)), ("type", Array(e.type.rawValue.utf8))])
    }

    /// An assessment outcome, once per rollup view: keyed by its unit, and by its agent when it
    /// has one (header `slawatch.view`), so each rollup cell is kept by one partition's owner.
    func records(_ o: Outcome) -> [ProducerRecord] {
        let value = o.json(calendar: calendar)
        return o.views.map { view in
            ProducerRecord(topic: settings.outcomesTopic, key: Array(o.key(view).utf8), value: value,
                           headers: [("outcome_id", Array(o.outcomeId.utf8)), (Self.viewHeader, Array(view.rawValue.utf8))])
        }
    }

    /// The header naming an outcome record's rollup view; a record without it counts for the unit view.
    static let viewHeader = "slawatch.view"

    /// A rollup cell's current numbers, keyed by its dimensions.
    func rollupRecord(_ key: RollupKey, _ cell: RollupCell, asOf: Timestamp) -> ProducerRecord {
        ProducerRecord(topic: settings.rollupsTopic, key: Array(key.text.utf8), value: cell.json(key, calendar: calendar, asOf: asOf),
                       headers: [("revision", Array(String(cell.revision).utf8))])
    }

    /// A unit's monthly scorecard, keyed `scorecard|<month>|<unit>`, or an agent's, `agent_scorecard|<month>|<agent>`.
    func scorecardRecord(_ s: Scorecard, asOf: Timestamp) -> ProducerRecord {
        ProducerRecord(topic: settings.rollupsTopic, key: Array(s.keyText.utf8), value: s.json(calendar: calendar, asOf: asOf),
                       headers: [("revision", Array(String(s.revision).utf8))])
    }

    /// A yearly star rating, keyed `stars|<year>|<unit|agent>|<owner>`.
    func starsRecord(_ r: StarRating, asOf: Timestamp) -> ProducerRecord {
        ProducerRecord(topic: settings.rollupsTopic, key: Array(r.keyText.utf8), value: r.json(calendar: calendar, asOf: asOf),
                       headers: [("revision", Array(String(r.revision).utf8))])
    }

    /// A stage cycle's ticket-level row, keyed `verdict|<ticket|outage>|<id>|<stage>@<start>`.
    func verdictRecord(_ v: VerdictRow, asOf: Timestamp) -> ProducerRecord {
        ProducerRecord(topic: settings.rollupsTopic, key: Array(v.keyText.utf8), value: v.json(calendar: calendar, asOf: asOf),
                       headers: [("revision", Array(String(v.revision).utf8))])
    }

    /// A rollup state record on the partition of the outcomes it was made from.
    func rollupStateRecord(key: String, partition: Int32, value: [UInt8]?) -> ProducerRecord {
        ProducerRecord(topic: settings.rollupChangelog, partition: partition, key: Array(key.utf8), value: value)
    }

    /// The changelog that restores an input topic's partitions (tickets, outages, outcomes).
    func changelog(ofInput topic: String) -> String? {
        if topic == settings.outcomesTopic { return settings.rollupChangelog }
        return subjectType(ofInput: topic).map(changelog(of:))
    }

    /// The changelog topic that holds state of subjects of this type.
    func changelog(of type: SubjectType) -> String {
        type == .ticket ? settings.ticketChangelog : settings.outageChangelog
    }

    /// The input topic whose partitions own subjects of this type.
    func input(of type: SubjectType) -> String {
        type == .ticket ? settings.ticketsTopic : settings.outagesTopic
    }

    /// The subject type an input or changelog topic carries.
    func subjectType(ofInput topic: String) -> SubjectType? {
        if topic == settings.ticketsTopic { return .ticket }
        if topic == settings.outagesTopic { return .outage }
        return nil
    }

    /// A state record (nil state: a tombstone, the subject is done), on the partition of the
    /// input record that last touched it, so changelog partition p restores input partition p.
    func changelogRecord(_ s: SubjectID, partition: Int32, state: [UInt8]?) -> ProducerRecord {
        ProducerRecord(topic: changelog(of: s.type), partition: partition, key: Array(s.id.utf8), value: state)
    }

    /// Largest original value copied into a dead letter; Kafka's default `message.max.bytes` is 1,000,000.
    static let deadLetterValueLimit = 900_000
    /// Largest original key copied into a dead letter (a key is an id; the contract caps ids at 128 bytes).
    static let deadLetterKeyLimit = 1_024

    /// A refused input record: its original bytes and key, the reason and its origin in headers.
    /// A value or key too large for the producer is cut, and `slawatch.truncated_from` gives
    /// its length, so the dead letter itself always fits.
    func deadLetter(_ r: ConsumerRecord, reason: String) -> ProducerRecord {
        var value = r.value
        var key = r.key
        var headers: [(name: String, value: [UInt8])] = [
            ("slawatch.reason", Array(reason.utf8.prefix(4_096))),
            ("slawatch.source.topic", Array(r.topicPartition.topic.utf8)),
            ("slawatch.source.partition", Array(String(r.topicPartition.partition).utf8)),
            ("slawatch.source.offset", Array(String(r.offset).utf8)),
        ]
        if let k = key, k.count > Self.deadLetterKeyLimit {
            headers.append(("slawatch.key_truncated_from", Array(String(k.count).utf8)))
            key = Array(k.prefix(Self.deadLetterKeyLimit))
        }
        let room = min(Self.deadLetterValueLimit, recordLimit - RecordBudget.size(of: ProducerRecord(topic: "", key: key, value: nil, headers: headers)) - 64)
        if let v = value, v.count > room {
            headers.append(("slawatch.truncated_from", Array(String(v.count).utf8)))
            value = Array(v.prefix(max(0, room)))
        }
        return ProducerRecord(topic: settings.deadLetterTopic, key: key, value: value, headers: headers)
    }
}
