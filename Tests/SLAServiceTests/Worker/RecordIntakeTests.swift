import SLACore
import SLAKafka
import Testing
@testable import SLAService

@Suite struct RecordIntakeTests {
    let intake = RecordIntake(outputs: OutputTopics(settings: WorkerSettings(), calendar: try! DefaultFiles.calendar()))
    let tickets = TopicPartition(WorkerSettings().ticketsTopic, 3)
    let outages = TopicPartition(WorkerSettings().outagesTopic, 0)
    static let ticket = #"{"event_id":"e1","ticket_id":"T1","kind":"consultation","action":"created","occurred_at":"2026-11-22T08:15:00+08:00"}"#
    static let outage = #"{"event_id":"o1","outage_id":"OUT-1","kind":"fault","action":"started","occurred_at":"2026-11-22T08:15:00+08:00"}"#

    func record(_ tp: TopicPartition, key: String?, _ value: String?) -> ConsumerRecord {
        ConsumerRecord(topicPartition: tp, offset: 41, key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) })
    }

    @Test func aTicketEventKeyedByItsTicketIsAnEventOfThatTicket() {
        guard case .event(let e) = intake.read(record(tickets, key: "T1", Self.ticket)) else {
            Issue.record("not read as an event"); return
        }
        #expect(e.subject == SubjectID(.ticket, "T1") && e.eventId == "e1")
    }

    @Test func anOutageEventOnTheOutagesTopicIsAnOutageEvent() {
        guard case .event(let e) = intake.read(record(outages, key: "OUT-1", Self.outage)) else {
            Issue.record("not read as an event"); return
        }
        #expect(e.subject == SubjectID(.outage, "OUT-1"))
    }

    @Test func aRecordOfTheOutcomesTopicGoesToTheRollups() {
        #expect(intake.read(record(TopicPartition(WorkerSettings().outcomesTopic, 0), key: "u", "{}")) == .outcome)
    }

    @Test func aRecordKeyedByAnotherTicketOrByNothingIsRefusedButNotAsMalformed() {
        #expect(intake.read(record(tickets, key: "T2", Self.ticket))
            == .rejected(reason: #"key: "T2", but the record's ticket_id is "T1"; events are keyed by ticket_id"#, malformed: false))
        #expect(intake.read(record(tickets, key: nil, Self.ticket))
            == .rejected(reason: #"key: missing, but the record's ticket_id is "T1"; events are keyed by ticket_id"#, malformed: false))
        #expect(intake.read(record(outages, key: "T1", Self.outage))
            == .rejected(reason: #"key: "T1", but the record's outage_id is "OUT-1"; events are keyed by outage_id"#, malformed: false))
    }

    @Test func aRecordThatDoesNotDecodeIsMalformedWithTheDecodersReason() {
        #expect(intake.read(record(tickets, key: "T1", #"{"event_id":"e1"}"#)) == .rejected(reason: "ticket_id: missing", malformed: true))
        guard case .rejected(_, true) = intake.read(record(tickets, key: "T1", nil)) else {
            Issue.record("a tombstone on the tickets topic is malformed"); return
        }
        // A ticket on the outages topic is read as an outage, and is not one.
        guard case .rejected(_, true) = intake.read(record(outages, key: "T1", Self.ticket)) else {
            Issue.record("a ticket event on the outages topic is malformed"); return
        }
    }

    @Test func theDeadLetterCarriesTheRecordAndNamesItsSource() {
        guard case .record(let r, let what) = intake.deadLetter(record(tickets, key: "T2", Self.ticket), reason: "why") else {
            Issue.record("not a record"); return
        }
        #expect(r.topic == WorkerSettings().deadLetterTopic)
        #expect(r.value == Array(Self.ticket.utf8) && r.key == Array("T2".utf8))
        #expect(what == "dead letter of \(tickets)@41")
        #expect(r.headers.contains { $0.name == "slawatch.reason" && $0.value == Array("why".utf8) })
    }
}
