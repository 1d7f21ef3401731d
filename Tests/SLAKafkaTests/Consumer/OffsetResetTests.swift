import Foundation
import Testing
@testable import SLAKafka

@Suite struct OffsetResetTests {
    @Test func readsTheLinesLibrdkafkaWritesForAResetAfterAnError() {
        // librdkafka 2.x (rdkafka_offset.c, rd_kafka_offset_reset): warning, facility OFFSET.
        let v2 = "slawatch.outcomes [7]: offset reset (at offset 1234 (leader epoch 0), broker 1) to offset 5000 (leader epoch -1): "
            + "fetch failed due to requested offset not available on the broker: Broker: Offset out of range"
        #expect(OffsetReset.parse(facility: "OFFSET", level: 4, message: v2)
                == OffsetReset(topic: "slawatch.outcomes", partition: 7, from: 1234, message: v2))
        // The shorter form of librdkafka 1.x and 2.0: no leader epoch.
        let v1 = "95598.tickets [0]: offset reset (at offset 10, broker 1) to BEGINNING: fetch failed due to requested offset not available on the broker: Broker: Offset out of range"
        #expect(OffsetReset.parse(facility: "OFFSET", level: 4, message: v1)?.from == 10)
        #expect(OffsetReset.parse(facility: "OFFSET", level: 4, message: v1)?.topic == "95598.tickets")
        // As the log callback gets it from librdkafka 2.0.2 here (the thread's name first), word for
        // word from the development broker in the test below.
        let threaded = "[thrd:main]: r [0]: offset reset (at offset 10, broker 1) to cached BEGINNING offset 317: "
            + "fetch failed due to requested offset not available on the broker: Broker: Offset out of range"
        #expect(OffsetReset.parse(facility: "OFFSET", level: 4, message: threaded)
                == OffsetReset(topic: "r", partition: 0, from: 10, message: threaded))
        // Without the offset it was at, the reset is still one.
        let bare = "t [2]: offset reset (at INVALID, broker -1) to END: no previously committed offset available: Local: No offset stored"
        #expect(OffsetReset.parse(facility: "OFFSET", level: 3, message: bare) == OffsetReset(topic: "t", partition: 2, from: nil, message: bare))
    }

    @Test func takesNoOtherLine() {
        let line = "t [2]: offset reset (at offset 3, broker 1) to BEGINNING: x: y"
        // A plain start at the policy's offset is only debug-logged: not a loss.
        #expect(OffsetReset.parse(facility: "OFFSET", level: 7, message: line) == nil)
        #expect(OffsetReset.parse(facility: "FETCH", level: 4, message: line) == nil)
        #expect(OffsetReset.parse(facility: "OFFSET", level: 4, message: "t [2]: committed offset 3") == nil)
        #expect(OffsetReset.parse(facility: "OFFSET", level: 4, message: "offset reset without a partition") == nil)
        #expect(OffsetReset.parse(facility: "OFFSET", level: 4, message: "t [x]: offset reset (at offset 3)") == nil)
    }

    /// The fault itself: a group's committed offset deleted from under it (the development broker
    /// keeps about 5 MB per partition and drops the oldest records), then the group reads again.
    @Test func aCommittedOffsetNoLongerOnTheBrokerIsReportedWithItsOffset() throws {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("r", partitions: 1)
        let tp = TopicPartition("r", 0)
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        for i in 0..<20 { try producer.send(ProducerRecord(topic: "r", partition: 0, key: Array("k\(i)".utf8), value: Array("v\(i)".utf8))) { _ in } }
        try producer.flush(timeoutMilliseconds: 10_000)
        final class Resumer: RebalanceListener, @unchecked Sendable {
            func partitionsAssigned(_ p: [TopicPartition], consumer: KafkaConsumer) { try? consumer.resume(p) }
            func partitionsRevoked(_ p: [TopicPartition], consumer: KafkaConsumer) {}
        }
        let config = KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "group.id": "g-reset", "auto.offset.reset": "earliest",
                                  "session.timeout.ms": "6000", "heartbeat.interval.ms": "300"])
        do {
            let first = try KafkaConsumer(config: config, listener: Resumer())
            try first.subscribe(["r"])
            var seen = 0
            let end = Date().addingTimeInterval(30)
            while seen < 10, Date() < end { seen += try first.poll(maxRecords: 10 - seen, timeoutMilliseconds: 100).count }
            try first.commit([tp: 10])
            try first.close()
        }
        // About 8 MB more: the broker drops the oldest records, the committed offset 10 among them.
        let big = [UInt8](repeating: 0x61, count: 10_000)
        for i in 0..<800 { try producer.send(ProducerRecord(topic: "r", partition: 0, key: Array("b\(i)".utf8), value: big)) { _ in } }
        try producer.flush(timeoutMilliseconds: 30_000)
        try producer.close(timeoutMilliseconds: 10_000)
        let resets = Resets()
        let second = try KafkaConsumer(config: config, listener: Resumer(), offsetReset: { resets.add($0) })
        try second.subscribe(["r"])
        let low = try second.watermarks(tp, timeoutMilliseconds: 5_000).low
        try #require(low > 10, "the broker still holds offset 10 (low watermark \(low)): nothing to skip")
        let end = Date().addingTimeInterval(30)
        while resets.all.isEmpty, Date() < end { _ = try second.poll(maxRecords: 100, timeoutMilliseconds: 100) }
        try second.close()
        let got = try #require(resets.all.first, "no reset reported")
        #expect(got.topic == "r" && got.partition == 0 && got.from == 10, "\(got.message)")
    }
}

private final class Resets: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [OffsetReset] = []
    func add(_ r: OffsetReset) { lock.withLock { items.append(r) } }
    var all: [OffsetReset] { lock.withLock { items } }
}
