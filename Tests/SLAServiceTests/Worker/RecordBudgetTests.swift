import Foundation
import Testing
@testable import SLAService
import SLAKafka

/// The net under the field and state limits: no record over `message.max.bytes` reaches
/// librdkafka (which refuses it outright, and the worker used to stop on the refusal).
@Suite struct RecordBudgetTests {
    private let budget = RecordBudget(maxBytes: 10_000, deadLetterTopic: "dl")

    @Test func aRecordOverTheBudgetIsReplacedByADeadLetterThatNamesItAndFits() {
        let big = ProducerRecord(topic: "95598.sla.events", key: Array("T1".utf8), value: Array(repeating: 0x61, count: 50_000))
        #expect(!budget.fits(big))
        let r = budget.replacement(for: big, what: "event X")
        #expect(r.topic == "dl" && r.key == Array("T1".utf8))
        #expect(budget.fits(r))
        let reason = String(decoding: r.headers.first { $0.name == "slawatch.reason" }!.value, as: UTF8.self)
        #expect(reason.hasPrefix("output record over message.max.bytes: event X is ") && reason.hasSuffix("the producer takes 10000"))
        #expect(r.headers.first { $0.name == "slawatch.truncated_from" }?.value == Array("50000".utf8))
        #expect(r.headers.first { $0.name == "slawatch.output.topic" }?.value == Array("95598.sla.events".utf8))
        #expect((r.value?.count ?? 0) > 8_000 && r.value!.allSatisfy { $0 == 0x61 })
    }

    @Test func theLedgerSendsTheReplacementWhereLibrdkafkaWouldRefuseTheRecord() throws {
        // No broker is needed: librdkafka checks the size when the record is queued.
        let config = KafkaConfig(["bootstrap.servers": "127.0.0.1:1", "message.max.bytes": "10000"])
        let big = ProducerRecord(topic: "t", key: nil, value: Array(repeating: 0x61, count: 50_000))
        let plain = DeliveryLedger()
        let p1 = try KafkaProducer(config: config, numberedDeliveries: { plain.delivered($0, $1) })
        #expect(plain.send(big, via: p1, what: "big").refused != nil, "librdkafka refuses it without the budget")
        let told = Told()
        let guarded = DeliveryLedger(budget: RecordBudget(kafka: config, deadLetterTopic: "dl")) { topic, what, size in told.set("\(topic) \(what) \(size)") }
        let p2 = try KafkaProducer(config: config, numberedDeliveries: { guarded.delivered($0, $1) })
        #expect(guarded.send(big, via: p2, what: "big").refused == nil)
        #expect(guarded.oversizedRecords == 1)
        #expect(told.value == "t big \(50_000 + 512)")
    }

    @Test func theTrackersStateLimitLeavesRoomForTheKeyAndFraming() {
        #expect(RecordBudget(maxBytes: 1_000_000, deadLetterTopic: "dl").maxStateBytes == 1_000_000 - 512 - 1_024 - 128)
    }
}

/// A value set from a callback.
private final class Told: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var v: String?
    func set(_ s: String) { lock.withLock { v = s } }
    var value: String? { lock.withLock { v } }
}
