import Foundation
import SLAKafka
import Testing
@testable import SLAService

@Suite struct CheckpointSequenceTests {
    /// Records every call in order; numbers records from 7 (as if 7 outputs were emitted before).
    final class Ports: CheckpointPorts {
        var steps: [String] = []
        var next: UInt64 = 7
        var failWaitNumber: Int?
        var refuseCommit = false
        private var waits = 0

        func drainOutputs() -> UInt64 { steps.append("drain"); return next }
        func send(_ record: ProducerRecord, what: String) -> UInt64 {
            next += 1
            steps.append("send \(record.topic) #\(next)")
            return next
        }
        func waitDelivered(upTo seq: UInt64, timeout: TimeInterval) throws(WorkerFailure) {
            waits += 1
            steps.append("wait ≤\(seq)")
            if waits == failWaitNumber { throw WorkerFailure(.delivery, "broker down") }
        }
        func commit(_ offsets: [TopicPartition: Int64]) throws(KafkaError) {
            steps.append("commit " + offsets.sorted { $0.key < $1.key }.map { "\($0.key.partition)@\($0.value)" }.joined(separator: ","))
            if refuseCommit { throw KafkaError(code: 27, message: "rebalance in progress") }
        }
    }

    let p0 = TopicPartition("t", 0), p1 = TopicPartition("t", 1)

    func snapshot(offsets: [TopicPartition: Int64]) -> CheckpointSequence.Snapshot {
        .init(publish: [ProducerRecord(topic: "rollups", key: Array("k1".utf8), value: nil),
                        ProducerRecord(topic: "rollups", key: Array("k2".utf8), value: nil)],
              changelog: [ProducerRecord(topic: "state", key: Array("s".utf8), value: nil)],
              offsets: offsets)
    }

    @Test func outputsThenRollupsAreDeliveredBeforeTheChangelogAndTheChangelogBeforeTheCommit() throws {
        let ports = Ports()
        var seq = CheckpointSequence(ports: ports)
        let outcome = try seq.run(snapshot(offsets: [p0: 10, p1: 4]), timeout: 1)
        // 7 outputs emitted before; the rollups are #8 and #9; the changelog #10.
        #expect(ports.steps == ["drain", "send rollups #8", "send rollups #9", "wait ≤9",
                                "send state #10", "wait ≤10", "commit 0@10,1@4"])
        #expect(outcome == .committed([p0: 10, p1: 4]))
    }

    @Test func aDeliveryFailureSendsNoChangelogAndCommitsNothing() {
        let ports = Ports()
        ports.failWaitNumber = 1
        var seq = CheckpointSequence(ports: ports)
        #expect(throws: WorkerFailure.self) { try seq.run(snapshot(offsets: [p0: 10]), timeout: 1) }
        #expect(ports.steps == ["drain", "send rollups #8", "send rollups #9", "wait ≤9"])
        #expect(seq.lastCommitted.isEmpty)

        let late = Ports()
        late.failWaitNumber = 2  // the changelog is not delivered: still no commit
        var again = CheckpointSequence(ports: late)
        #expect(throws: WorkerFailure.self) { try again.run(snapshot(offsets: [p0: 10]), timeout: 1) }
        #expect(late.steps.last == "wait ≤10")
        #expect(!late.steps.contains { $0.hasPrefix("commit") })
    }

    @Test func onlyOffsetsThatMovedAreCommittedAndAFailedCommitIsTriedAgain() throws {
        let ports = Ports()
        var seq = CheckpointSequence(ports: ports)
        _ = try seq.run(snapshot(offsets: [p0: 10, p1: 4]), timeout: 1)
        #expect(try seq.run(snapshot(offsets: [p0: 10, p1: 4]), timeout: 1) == .unchanged)
        #expect(try seq.run(snapshot(offsets: [p0: 12, p1: 4]), timeout: 1) == .committed([p0: 12]))

        ports.refuseCommit = true
        guard case .commitFailed = try seq.run(snapshot(offsets: [p0: 15, p1: 4]), timeout: 1) else {
            Issue.record("a refused commit is reported"); return
        }
        #expect(seq.lastCommitted == [p0: 12, p1: 4])
        ports.refuseCommit = false
        #expect(try seq.run(snapshot(offsets: [p0: 15, p1: 4]), timeout: 1) == .committed([p0: 15]))
    }

    @Test func aHandedOverPartitionIsForgottenSoItsOffsetIsCommittedAgainWhenItComesBack() throws {
        let ports = Ports()
        var seq = CheckpointSequence(ports: ports)
        _ = try seq.run(snapshot(offsets: [p0: 10, p1: 4]), dropping: [p1], timeout: 1)
        #expect(seq.lastCommitted == [p0: 10])
        // Assigned back later at the same offset (the other owner committed past it, or not):
        // ours is committed again rather than assumed.
        #expect(try seq.run(snapshot(offsets: [p0: 10, p1: 4]), timeout: 1) == .committed([p1: 4]))
    }
}
