import Foundation
import SLACore
import SLAKafka
import SLATestSupport
import Testing
@testable import SLAService

/// The contract's JSON Schemas (docs/schemas) against what slawatch reads and publishes, checked
/// by a real validator (Python's `jsonschema`, draft 2020-12): the input lines of the seed
/// scenarios and of a generated month, every event, outcome, rollup, scorecard, verdict row and
/// star rating replay publishes for them, dead letters of refused and oversized records; and
/// messages the contract refuses, which the schemas must refuse too.
@Suite struct ContractSchemaTests {
    /// The lines of every seed scenario and of a generated month, in arrival order.
    static func inputs() -> [String] {
        SeedScenarios.all.flatMap { $0.1.flatMap { $0.tickets + $0.outages } } + AssessmentMonth().events.map(\.json)
    }

    /// Every record replay publishes for `lines` (events, outcomes, then the rollups topic's latest).
    static func published(_ lines: [String]) throws -> [[String: Any]] {
        let policy = try DefaultFiles.policy(), calendar = try DefaultFiles.calendar()
        let book = RollupBook(calendar: calendar, rule: policy.scorecard, retention: .days(400))
        var engine = ReplayEngine(tracker: SLATracker(policy: policy, calendar: calendar), rollups: book, keepsOutcomes: true)
        var records: [[UInt8]] = []
        for l in lines {
            guard let e = try? EventDecoder.any(Array(l.utf8)), let out = try? engine.feed(e) else { continue }
            records += out.map { $0.json(calendar: calendar) }
            records += engine.takeOutcomes().map { $0.json(calendar: calendar) }
        }
        let end = (engine.clock ?? SystemClock.read()).adding(.days(40))
        records += engine.advance(to: end).map { $0.json(calendar: calendar) }
        records += engine.takeOutcomes().map { $0.json(calendar: calendar) }
        let taken = engine.takeRollups()
        let changes = try #require(taken)
        records += changes.cells.map { $0.cell.json($0.key, calendar: calendar, asOf: end) }
        records += changes.verdicts.map { $0.json(calendar: calendar, asOf: end) }
        records += changes.scorecards.map { $0.json(calendar: calendar, asOf: end) }
        records += changes.stars.map { $0.json(calendar: calendar, asOf: end) }
        return records.compactMap(ContractSchemas.object)
    }

    @Test func everyInputLineAndEveryRecordReplayPublishesFitsItsSchema() throws {
        let lines = Self.inputs()
        var cases = lines.map { l -> ContractSchemas.Case in
            let o = ContractSchemas.object(Array(l.utf8))!
            return .init(o["outage_id"] != nil ? "outage-event.json" : "ticket-event.json", o, what: "input")
        }
        let out = try Self.published(lines)
        cases += out.map { .init(ContractSchemas.schema(ofOutput: $0), $0, what: "published") }
        // Every kind of record is among them, so no schema goes unchecked.
        let schemas = Set(cases.map(\.schema))
        #expect(schemas == ["ticket-event.json", "outage-event.json", "sla-event.json", "outcome.json", "rollup-cell.json",
                            "scorecard.json", "agent-scorecard.json", "verdict-row.json", "stars.json"])
        #expect(Set(out.compactMap { $0["type"] as? String }).isSuperset(of: ["sla.started", "sla.met", "sla.missed", "sla.overdue",
                                                                               "sla.escalated", "sla.stopped", "sla.linked", "sla.retracted", "sla.warning"]))
        let (ok, report) = try ContractSchemas.check(cases)
        #expect(ok, "\(report)")
        #expect(report.contains("\(cases.count) messages, 0 not as expected"), "\(report)")
    }

    @Test func deadLettersOfRefusedInputAndOfOversizedOutputFitTheirSchema() throws {
        let outputs = OutputTopics(settings: WorkerSettings(), calendar: try DefaultFiles.calendar(), recordLimit: 20_000)
        let intake = RecordIntake(outputs: outputs)
        let tickets = TopicPartition(WorkerSettings().ticketsTopic, 2)
        var letters: [ProducerRecord] = []
        for (key, value) in [("T1", "not json"), ("T2", #"{"event_id":"e","ticket_id":"T1","kind":"praise","action":"created","occurred_at":"2026-11-20T08:00:00+08:00"}"#),
                             (String(repeating: "k", count: 5_000), String(repeating: "v", count: 50_000))] {
            let r = ConsumerRecord(topicPartition: tickets, offset: 7, key: Array(key.utf8), value: Array(value.utf8))
            guard case .rejected(let reason, _) = intake.read(r), case .record(let letter, _) = intake.deadLetter(r, reason: reason) else {
                Issue.record("\(key.prefix(8)) was not refused"); continue
            }
            letters.append(letter)
        }
        // The long key and value are cut, and the headers say from what.
        #expect(letters[2].key?.count == OutputTopics.deadLetterKeyLimit)
        #expect(letters[2].headers.contains { $0.name == "slawatch.key_truncated_from" && $0.value == Array("5000".utf8) })
        let budget = RecordBudget(maxBytes: 20_000, deadLetterTopic: WorkerSettings().deadLetterTopic)
        letters.append(budget.replacement(for: ProducerRecord(topic: "slawatch.sla.events", partition: 1, key: Array("T9".utf8),
                                                              value: Array(repeating: 0x41, count: 30_000)), what: "event e9"))
        let cases = letters.map { ContractSchemas.Case("dead-letter.json", ContractSchemas.deadLetter(key: $0.key, headers: $0.headers.map { ($0.name, $0.value) }), what: "dead letter") }
        let (ok, report) = try ContractSchemas.check(cases)
        #expect(ok, "\(report)")
    }

    @Test func theSchemasRefuseWhatTheContractRefuses() throws {
        let ticket: [String: Any] = ["event_id": "e1", "ticket_id": "T1", "kind": "fault_repair", "action": "created",
                                     "occurred_at": "2026-11-20T08:00:00+08:00"]
        func with(_ base: [String: Any], _ changes: [String: Any?]) -> [String: Any] {
            var o = base
            for (k, v) in changes { o[k] = v }
            return o
        }
        let event = try #require(try Self.published(SeedScenarios.acceptThenReturn.flatMap(\.tickets)).first { $0["type"] as? String == "sla.started" })
        let registered: [String: Any] = ["event_id": "o1", "outage_id": "O1", "kind": "planned", "action": "registered",
                                         "occurred_at": "2026-11-01T09:00:00+08:00", "start_at": "2026-11-20T08:00:00+08:00",
                                         "est_restore_at": "2026-11-20T17:00:00+08:00", "cause": "maintenance", "feeders": ["F9"]]
        var cases: [ContractSchemas.Case] = [
            .init("ticket-event.json", ticket, what: "the valid one"),
            .init("ticket-event.json", with(ticket, ["extra": ["nested": 1]]), what: "unknown fields are allowed"),
            .init("outage-event.json", registered, what: "a full registration"),
            .init("sla-event.json", event, what: "a published start"),
        ]
        let refused: [(String, [String: Any], String)] = [
            ("ticket-event.json", with(ticket, ["ticket_id": nil]), "no ticket_id"),
            ("ticket-event.json", with(ticket, ["ticket_id": ""]), "an empty ticket_id"),
            ("ticket-event.json", with(ticket, ["kind": "faultrepair"]), "an unknown kind"),
            ("ticket-event.json", with(ticket, ["occurred_at": "2026-11-20T08:00:00"]), "an instant without offset"),
            ("ticket-event.json", with(ticket, ["satisfaction": 6]), "satisfaction above 5"),
            ("ticket-event.json", with(ticket, ["action": "onsite_reported"]), "onsite_reported without reported_to"),
            ("ticket-event.json", with(ticket, ["unit": String(repeating: "u", count: 129)]), "a unit over 128"),
            ("outage-event.json", with(registered, ["feeders": nil]), "registered without feeders or areas"),
            ("outage-event.json", with(registered, ["kind": "fault_repair"]), "a ticket kind"),
            ("sla-event.json", with(event, ["type": "sla.late"]), "an unknown type"),
            ("sla-event.json", with(event, ["deadline": nil]), "a start without its deadline"),
            ("sla-event.json", with(event, ["ticket_id": nil]), "no subject"),
            ("outcome.json", ["outcome_id": "o", "result": "maybe", "kind": "praise", "at": "2026-11-20T08:00:00+08:00", "ticket_id": "T1"], "an unknown result"),
            ("scorecard.json", ["record": "scorecard", "month": "2026-11", "unit": "U", "score": 120], "a score over 100"),
            ("dead-letter.json", ["key": "T1", "headers": ["slawatch.source.topic": "t"]], "no reason"),
        ]
        cases += refused.map { .init($0.0, $0.1, valid: false, what: $0.2) }
        let (ok, report) = try ContractSchemas.check(cases)
        #expect(ok, "\(report)")
        #expect(report.contains("\(cases.count) messages, 0 not as expected"), "\(report)")
    }

    /// The enumerations the schemas list are the code's, value for value.
    @Test func theSchemasEnumerationsAreTheCodes() throws {
        let common = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: ContractSchemas.folder.appendingPathComponent("common.json"))) as? [String: Any])
        let defs = try #require(common["$defs"] as? [String: Any])
        func values(_ name: String) -> Set<String> { Set(((defs[name] as? [String: Any])?["enum"] as? [String]) ?? []) }
        #expect(values("ticketKind") == Set(SubjectKind.allCases.filter { $0.subject == .ticket }.map(\.rawValue)))
        #expect(values("outageKind") == Set(SubjectKind.allCases.filter { $0.subject == .outage }.map(\.rawValue)))
        #expect(values("ticketAction") == Set(LifecycleAction.allCases.filter { $0.applies(to: .ticket) }.map(\.rawValue)))
        #expect(values("outageAction") == Set(LifecycleAction.allCases.filter { $0.applies(to: .outage) }.map(\.rawValue)))
        #expect(values("region") == Set(Region.allCases.map(\.rawValue)))
        #expect(values("customerClass") == Set(CustomerClass.allCases.map(\.rawValue)))
        #expect(values("reportedTo") == Set(ReportedTo.allCases.map(\.rawValue)))
        #expect(values("slaEventType") == Set(SLAEventType.allCases.map(\.rawValue)))
        #expect(values("outcomeResult") == Set(Outcome.Result.allCases.map(\.rawValue)))
        #expect(values("grain") == Set(RollupGrain.allCases.map(\.rawValue)))
        #expect(values("view") == Set(RollupView.allCases.map(\.rawValue)))
        #expect(values("method") == Set(ScorecardRule.Method.allCases.map(\.rawValue)))
    }
}
