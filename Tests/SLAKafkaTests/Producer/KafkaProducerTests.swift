import Foundation
import Testing
@testable import SLAKafka

@Suite struct KafkaProducerTests {
    @Test func deliversKeyedRecordsWithHeadersAndReportsEach() throws {
        let broker = try DevBroker(brokers: 3)
        try broker.createTopic("95598.sla.events", partitions: 6)
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        let reports = DeliveryReports()
        for i in 0..<100 {
            let record = ProducerRecord(topic: "95598.sla.events", key: Array("T\(i % 10)".utf8), value: Array("v\(i)".utf8),
                                        headers: [("source", Array("replay".utf8)), ("n", Array(String(i).utf8))])
            try producer.send(record) { reports.add($0) }
        }
        try producer.close(timeoutMilliseconds: 10_000)
        #expect(reports.all.count == 100)
        let ok = reports.successes
        #expect(ok.count == 100)
        #expect(Set(ok.map { "\($0.partition)/\($0.offset)" }).count == 100)  // each stored once
        // Same key, same partition.
        let lines = try Kcat.consumeAll(broker, "95598.sla.events", format: "%k|%p|%h|%s\n")
        #expect(lines.count == 100)
        var partitionOfKey: [Substring: Substring] = [:]
        for l in lines {
            let f = l.split(separator: "|")
            #expect(partitionOfKey[f[0], default: f[1]] == f[1])
            partitionOfKey[f[0]] = f[1]
            #expect(f[2].hasPrefix("source=replay,n="))
        }
    }

    @Test func reportsNumberedRecordsByNumberBesideCompletions() throws {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("t", partitions: 3)
        let numbers = NumberedReports()
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]), numberedDeliveries: numbers.add)
        let reports = DeliveryReports()
        let sent: [UInt64] = Array(1...60) + [1 << 62, (1 << 63) - 1]
        for (i, n) in sent.enumerated() {
            try producer.send(ProducerRecord(topic: "t", key: Array("K\(i % 7)".utf8), value: Array("n\(n)".utf8)), number: n)
            try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("c\(i)".utf8))) { reports.add($0) }
        }
        try producer.close(timeoutMilliseconds: 10_000)
        #expect(numbers.all.map(\.0).sorted() == sent)
        #expect(numbers.all.allSatisfy { $0.1 == nil })
        #expect(reports.successes.count == sent.count)
        #expect(try Kcat.consumeAll(broker, "t", format: "%s\n").count == 2 * sent.count)
    }

    @Test func retriesInjectedRequestErrors() throws {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("t", partitions: 1)
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        let reports = DeliveryReports()
        try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("warm-up".utf8))) { reports.add($0) }
        try producer.flush(timeoutMilliseconds: 10_000)
        broker.injectErrors(apiKey: 0, count: 2, errorCode: KafkaError.code(named: "NOT_LEADER_FOR_PARTITION")!)
        broker.injectErrors(apiKey: 0, count: 2, errorCode: KafkaError.code(named: "REQUEST_TIMED_OUT")!)
        for i in 0..<20 { try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("r\(i)".utf8))) { reports.add($0) } }
        try producer.close(timeoutMilliseconds: 30_000)
        #expect(reports.successes.count == 21)
        let values = try Kcat.consumeAll(broker, "t", format: "%s\n")
        #expect(values.count == 21 && Set(values).count == 21)
    }

    @Test func refusesABadConfigWithLibrdkafkasMessage() {
        do {
            _ = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": "127.0.0.1:1", "linger.mss": "5"]))
            Issue.record("accepted")
        } catch {
            #expect(error.message == #"No such configuration property: "linger.mss""#)
        }
    }
}
