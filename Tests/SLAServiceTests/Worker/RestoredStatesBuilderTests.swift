import Foundation
import SLACore
import SLAKafka
import Testing
@testable import SLAService

@Suite struct RestoredStatesBuilderTests {
    typealias Record = (value: [UInt8]?, key: String, input: TopicPartition)

    /// Three lanes, five ticket partitions and a rollup partition, one key's records in several
    /// batches: each key ends with its last record, whichever lane decoded it.
    @Test func decodingLanesKeepEachKeysLastRecordAndEveryPartition() throws {
        let building = RestoredStatesBuilder(policy: RestoredStatesTests.policy, outcomesTopic: "slawatch.outcomes", lanes: 3)
        func tickets(_ p: Int32) -> TopicPartition { TopicPartition("95598.tickets", p) }
        let outcomes = TopicPartition("slawatch.outcomes", 1)
        // By hand: T<p>a ends at minute 20 + p, T<p>b ends deleted, T4c ends unreadable.
        for round in 0..<3 {
            var batch: [Record] = []
            for p in Int32(0)..<5 {
                let minute = round == 2 ? 20 + Int(p) : 10 * round + Int(p)
                batch.append((try RestoredStatesTests.stored("T\(p)a", minute: minute), "T\(p)a", tickets(p)))
                batch.append((round == 2 ? nil : try RestoredStatesTests.stored("T\(p)b", minute: round), "T\(p)b", tickets(p)))
            }
            batch.append((Array("cell\(round)".utf8), "c|x", outcomes))
            building.add(batch)
        }
        building.add([([0xFF, 0x01], "T4c", tickets(4))])
        let states = building.finished()

        #expect(Set(states.subjects.keys) == Set((0..<5).map(tickets)))
        for p in Int32(0)..<5 {
            let t = try #require(states.subjects[tickets(p)])
            #expect(t.count == (p == 4 ? 3 : 2))
            guard case .state(let a)? = t["T\(p)a"] else { Issue.record("T\(p)a: \(String(describing: t["T\(p)a"]))"); continue }
            #expect(a.facts.last?.time == RFC3339.parse(String(format: "2026-11-20T08:%02d:00+08:00", 20 + Int(p)))!.0)
            guard case .deleted? = t["T\(p)b"] else { Issue.record("T\(p)b is not a tombstone"); continue }
        }
        guard case .unreadable? = states.subjects[tickets(4)]?["T4c"] else { Issue.record("T4c decoded"); return }
        #expect(states.rollups == [outcomes: ["c|x": .some(Array("cell2".utf8))]])
    }
}
