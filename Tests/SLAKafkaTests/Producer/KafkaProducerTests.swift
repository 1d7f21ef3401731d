import Foundation
import Testing
@testable import SLAKafka

/// Delivery results gathered from the poll thread.
private final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<DeliveryReport, KafkaError>] = []
    func add(_ r: Result<DeliveryReport, KafkaError>) { lock.withLock { items.append(r) } }
    var all: [Result<DeliveryReport, KafkaError>] { lock.withLock { items } }
    var successes: [DeliveryReport] { all.compactMap { try? $0.get() } }
}

@Suite struct KafkaProducerTests {
    private func consumeAll(_ broker: DevBroker, _ topic: String, format: String = "%k|%s\n") throws -> [String] {
        let r = try Kcat.run(["-b", broker.bootstrapServers, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", format])
        #expect(r.status == 0, "\(r.err)")
        return r.out.split(separator: "\n").map(String.init)
    }

    @Test func deliversKeyedRecordsWithHeadersAndReportsEach() throws {
        let broker = try DevBroker(brokers: 3)
        try broker.createTopic("95598.sla.events", partitions: 6)
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        let reports = Reports()
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
        let lines = try consumeAll(broker, "95598.sla.events", format: "%k|%p|%h|%s\n")
        #expect(lines.count == 100)
        var partitionOfKey: [Substring: Substring] = [:]
        for l in lines {
            let f = l.split(separator: "|")
            #expect(partitionOfKey[f[0], default: f[1]] == f[1])
            partitionOfKey[f[0]] = f[1]
            #expect(f[2].hasPrefix("source=replay,n="))
        }
    }

    @Test func nothingLostNorDuplicatedWhenTheLeaderIsDown() throws {
        let broker = try DevBroker(brokers: 3)
        try broker.createTopic("t", partitions: 1, replicationFactor: 3)
        try broker.setLeader(topic: "t", partition: 0, broker: 1)
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "message.timeout.ms": "60000"]))
        let reports = Reports()
        for i in 0..<50 { try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("a\(i)".utf8))) { reports.add($0) } }
        try producer.flush(timeoutMilliseconds: 10_000)
        try broker.setBrokerDown(1)
        for i in 0..<150 { try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("b\(i)".utf8))) { reports.add($0) } }
        Thread.sleep(forTimeInterval: 1.5)
        #expect(reports.all.count < 200)  // the second batch waits for the leader
        try broker.setBrokerUp(1)
        try producer.close(timeoutMilliseconds: 30_000)
        #expect(reports.successes.count == 200, "\(reports.all.filter { (try? $0.get()) == nil })")
        let values = try consumeAll(broker, "t", format: "%s\n")
        #expect(values.count == 200)
        #expect(Set(values).count == 200)
    }

    @Test func retriesInjectedRequestErrors() throws {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("t", partitions: 1)
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        let reports = Reports()
        try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("warm-up".utf8))) { reports.add($0) }
        try producer.flush(timeoutMilliseconds: 10_000)
        broker.injectErrors(apiKey: 0, count: 2, errorCode: KafkaError.code(named: "NOT_LEADER_FOR_PARTITION")!)
        broker.injectErrors(apiKey: 0, count: 2, errorCode: KafkaError.code(named: "REQUEST_TIMED_OUT")!)
        for i in 0..<20 { try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("r\(i)".utf8))) { reports.add($0) } }
        try producer.close(timeoutMilliseconds: 30_000)
        #expect(reports.successes.count == 21)
        let values = try consumeAll(broker, "t", format: "%s\n")
        #expect(values.count == 21 && Set(values).count == 21)
    }

    @Test func aFullLocalQueueMakesTheSenderWaitNotDrop() throws {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("t", partitions: 1)
        let producer = try KafkaProducer(config: KafkaConfig([
            "bootstrap.servers": broker.bootstrapServers, "queue.buffering.max.messages": "10", "message.timeout.ms": "60000",
        ]))
        let reports = Reports()
        try producer.send(ProducerRecord(topic: "t", key: nil, value: Array("first".utf8))) { reports.add($0) }
        try producer.flush(timeoutMilliseconds: 10_000)
        try broker.setBrokerDown(1)
        let sent = Reports()  // counts sends that returned
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
        let values = try consumeAll(broker, "t", format: "%s\n")
        #expect(values.count == 51 && Set(values).count == 51)
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
