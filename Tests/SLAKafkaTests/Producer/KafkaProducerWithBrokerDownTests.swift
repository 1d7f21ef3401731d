import Foundation
import Testing
@testable import SLAKafka

/// The producer while a broker is down. Every suite that takes a broker down is named
/// `…WithBrokerDownTests` and runs alone, after the others (scripts/test): librdkafka 2.0.2's
/// mock cluster closes a downed broker's listener and binds its port again at once, and aborts
/// the whole process when that bind fails (docs/kafka.md, "The development broker's limits").
@Suite(.serialized) struct KafkaProducerWithBrokerDownTests {
    @Test func nothingLostNorDuplicatedWhenTheLeaderIsDown() throws {
        let broker = try DevBroker(brokers: 3)
        try broker.createTopic("t", partitions: 1, replicationFactor: 3)
        try broker.setLeader(topic: "t", partition: 0, broker: 1)
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "message.timeout.ms": "60000"]))
        let reports = DeliveryReports()
        for i in 0..<50 { try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("a\(i)".utf8))) { reports.add($0) } }
        try producer.flush(timeoutMilliseconds: 10_000)
        try broker.setBrokerDown(1)
        for i in 0..<150 { try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("b\(i)".utf8))) { reports.add($0) } }
        Thread.sleep(forTimeInterval: 1.5)
        #expect(reports.all.count < 200)  // the second batch waits for the leader
        try broker.setBrokerUp(1)
        try producer.close(timeoutMilliseconds: 30_000)
        #expect(reports.successes.count == 200, "\(reports.all.filter { (try? $0.get()) == nil })")
        let values = try Kcat.consumeAll(broker, "t", format: "%s\n")
        #expect(values.count == 200)
        #expect(Set(values).count == 200)
    }

    @Test func aNumberedRecordThatTimesOutIsReportedWithItsDestinationAndKey() throws {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("t", partitions: 2)
        let numbers = NumberedReports()
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "message.timeout.ms": "1500"]),
                                         numberedDeliveries: numbers.add)
        try producer.send(ProducerRecord(topic: "t", partition: 1, key: Array("T1".utf8), value: Array("up".utf8)), number: 1)
        try producer.flush(timeoutMilliseconds: 10_000)
        try broker.setBrokerDown(1)
        try producer.send(ProducerRecord(topic: "t", partition: 1, key: Array("T1".utf8), value: Array("down".utf8)), number: 2)
        try? producer.flush(timeoutMilliseconds: 10_000)
        try broker.setBrokerUp(1)
        let reports = numbers.all
        #expect(reports.count == 2)
        #expect(reports.first { $0.0 == 1 }.map { $0.1 == nil } == true)
        let failure = try #require(reports.first { $0.0 == 2 }?.1)
        #expect(failure.record == "record to t[1] key T1")
        #expect(failure.error.code == KafkaError.code(named: "_MSG_TIMED_OUT"))
    }

    @Test func aFullLocalQueueMakesTheSenderWaitNotDrop() throws {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("t", partitions: 1)
        let producer = try KafkaProducer(config: KafkaConfig([
            "bootstrap.servers": broker.bootstrapServers, "queue.buffering.max.messages": "10", "message.timeout.ms": "60000",
        ]))
        let reports = DeliveryReports()
        try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("first".utf8))) { reports.add($0) }
        try producer.flush(timeoutMilliseconds: 10_000)
        try broker.setBrokerDown(1)
        let sent = DeliveryReports()  // counts sends that returned
        let senderDone = DispatchSemaphore(value: 0)
        let sender = Thread {
            defer { senderDone.signal() }
            for i in 0..<50 {
                do throws(KafkaError) {
                    try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("r\(i)".utf8))) { reports.add($0) }
                    sent.add(.success(DeliveryReport(topic: "t", partition: 0, offset: Int64(i))))
                } catch { sent.add(.failure(error)) }
            }
        }
        sender.start()
        Thread.sleep(forTimeInterval: 1.5)
        // The queue holds 10; the sender is blocked inside send, not failing and not dropping.
        #expect(sent.all.count <= 11)
        #expect(sent.all.allSatisfy { (try? $0.get()) != nil })
        #expect(producer.queued <= 10)
        try broker.setBrokerUp(1)
        // Close comes after the last send, as in the daemon's shutdown order.
        #expect(senderDone.wait(timeout: .now() + 30) == .success)
        try producer.close(timeoutMilliseconds: 30_000)
        #expect(sent.all.count == 50)
        #expect(reports.successes.count == 51)
        let values = try Kcat.consumeAll(broker, "t", format: "%s\n")
        #expect(values.count == 51 && Set(values).count == 51)
    }
}
