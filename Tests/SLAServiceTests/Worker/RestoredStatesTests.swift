import Foundation
import SLACore
import SLAKafka
import Testing
@testable import SLAService

@Suite struct RestoredStatesTests {
    static let policy = try! DefaultFiles.policy()
    static let calendar = try! DefaultFiles.calendar()

    /// The stored state of a fault-repair ticket created at `minute` past 08:00.
    static func stored(_ id: String, minute: Int) throws -> [UInt8] {
        var tracker = SLATracker(policy: policy, calendar: calendar)
        let at = RFC3339.parse(String(format: "2026-11-20T08:%02d:00+08:00", minute))!.0
        let event = TicketEvent(eventId: "e-\(id)-\(minute)", ticketId: id, kind: .faultRepair, action: .created, occurredAt: at, region: .urban)
        _ = try tracker.apply(.ticket(event), now: at)
        return try #require(tracker.encodedState(of: SubjectID(.ticket, id)))
    }

    @Test func keepsTheLatestRecordPerKeyDecodedAndRollupsAsBytes() throws {
        var states = RestoredStates(policy: Self.policy, outcomesTopic: "slawatch.outcomes")
        let tickets = TopicPartition("95598.tickets", 3)
        states.add(try Self.stored("T1", minute: 1), key: "T1", restoring: tickets)
        states.add(try Self.stored("T1", minute: 7), key: "T1", restoring: tickets)
        states.add(try Self.stored("T2", minute: 2), key: "T2", restoring: tickets)
        states.add(nil, key: "T2", restoring: tickets)
        states.add([0xFF, 0x00, 0x13], key: "T3", restoring: tickets)
        states.add(Array("cell".utf8), key: "c|x", restoring: TopicPartition("slawatch.outcomes", 0))
        states.add(nil, key: "c|y", restoring: TopicPartition("slawatch.outcomes", 0))

        let t = try #require(states.subjects[tickets])
        #expect(t.count == 3)
        guard case .state(let s1)? = t["T1"] else { Issue.record("T1: \(String(describing: t["T1"]))"); return }
        #expect(s1.facts.first?.time == RFC3339.parse("2026-11-20T08:07:00+08:00")!.0)
        guard case .deleted? = t["T2"] else { Issue.record("T2 is not a tombstone"); return }
        guard case .unreadable? = t["T3"] else { Issue.record("T3 decoded"); return }
        let rollups = try #require(states.rollups[TopicPartition("slawatch.outcomes", 0)])
        #expect(rollups.count == 2)
        #expect(rollups["c|x"] == .some(Array("cell".utf8)))
        #expect(rollups["c|y"] == .some(nil))
        #expect(states.subjects[TopicPartition("slawatch.outcomes", 0)] == nil)
    }
}
