// What an input record is: an event for a subject, an outcome for the rollups, or a dead letter and why.

import SLACore
import SLAKafka

/// Reads one consumed record before anything is applied: decodes a ticket or outage event and
/// checks that the record is keyed by its subject, or says why it goes to the dead letters.
///
/// State lives with the partition of the subject's key, so a record keyed otherwise would
/// split a subject's history across owners: it is refused, like a record that does not decode.
struct RecordIntake: Sendable {
    /// What a record turned out to be.
    enum Read: Equatable {
        /// An event of the subject the record is keyed by.
        case event(InboundEvent)
        /// A record of the outcomes topic: the rollups stage reads it.
        case outcome
        /// Not usable: `reason` goes into the dead letter; `malformed` when it did not decode
        /// (counted as a decode error of its topic; a wrong key is not).
        case rejected(reason: String, malformed: Bool)
    }

    let outputs: OutputTopics

    /// What `r` is.
    func read(_ r: ConsumerRecord) -> Read {
        guard let type = outputs.subjectType(ofInput: r.topicPartition.topic) else { return .outcome }
        let event: InboundEvent
        do throws(EventRejection) {
            let bytes = r.value ?? []
            event = type == .ticket ? .ticket(try EventDecoder.ticket(bytes)) : .outage(try EventDecoder.outage(bytes))
        } catch {
            return .rejected(reason: error.description, malformed: true)
        }
        let key = r.key.map { String(decoding: $0, as: UTF8.self) }
        guard key == event.subject.id else {
            let field = type == .ticket ? "ticket_id" : "outage_id"
            return .rejected(reason: "key: \(key.map { JSONText.quoted($0) } ?? "missing"), but the record's \(field) is \(JSONText.quoted(event.subject.id)); events are keyed by \(field)",
                             malformed: false)
        }
        return .event(event)
    }

    /// The dead letter that carries `r` and the reason it was refused.
    func deadLetter(_ r: ConsumerRecord, reason: String) -> OutputEmitter.Output {
        .record(outputs.deadLetter(r, reason: reason), what: "dead letter of \(r.topicPartition)@\(r.offset)")
    }
}
