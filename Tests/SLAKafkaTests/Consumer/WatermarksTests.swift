import Foundation
import Testing
@testable import SLAKafka

@Suite struct WatermarksTests {
    /// ListOffsets is Kafka API key 2: the request behind a watermark query.
    static let listOffsets: Int16 = 2

    private func brokerWithRecords(_ count: Int) throws -> DevBroker {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("t", partitions: 1)
        let p = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        for i in 0..<count { try p.send(ProducerRecord(topic: "t", partition: 0, key: nil, value: Array("v\(i)".utf8))) { _ in } }
        try p.close(timeoutMilliseconds: 10_000)
        return broker
    }

    @Test func aLeaderChangeDuringTheQueryIsWaitedOut() throws {
        let broker = try brokerWithRecords(5)
        let reader = try PartitionReader(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        let code = try #require(KafkaError.code(named: "NOT_LEADER_FOR_PARTITION"))
        broker.injectErrors(apiKey: Self.listOffsets, count: 3, errorCode: code)
        // rd_kafka_query_watermark_offsets either failed here (ending a worker's restore) or,
        // having retried one of its two requests, answered 5/5 — and nothing was read.
        var n = 0
        try reader.readToEnd([TopicPartition("t", 0)]) { n += $0.count }
        #expect(n == 5)
    }

    @Test func watermarksOfManyPartitionsComeInOneQuery() throws {
        let broker = try DevBroker(brokers: 2)
        try broker.createTopic("m", partitions: 4)
        let p = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        for part in Int32(0)..<4 { for _ in 0..<Int(part) { try p.send(ProducerRecord(topic: "m", partition: part, key: nil, value: [1])) { _ in } } }
        try p.close(timeoutMilliseconds: 10_000)
        let reader = try PartitionReader(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        var seen: [Int32: Int] = [:]
        #expect(try reader.readToEnd((Int32(0)..<4).map { TopicPartition("m", $0) }) { for r in $0 { seen[r.topicPartition.partition, default: 0] += 1 } } == 6)
        #expect(seen == [1: 1, 2: 2, 3: 3])
        #expect { try reader.readToEnd([TopicPartition("m", 1), TopicPartition("m", 9)], timeoutMilliseconds: 5_000) { _ in } } throws: { error in
            (error as? KafkaError)?.message.contains("m[9]") ?? false
        }
    }

    @Test func anErrorThatDoesNotPassIsThrownAtOnce() throws {
        let broker = try brokerWithRecords(1)
        let reader = try PartitionReader(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        let code = try #require(KafkaError.code(named: "TOPIC_AUTHORIZATION_FAILED"))
        // One error only: a retry would have succeeded, so the throw shows there was none.
        broker.injectErrors(apiKey: Self.listOffsets, count: 1, errorCode: code)
        #expect { try reader.readToEnd([TopicPartition("t", 0)]) { _ in } } throws: { error in
            (error as? KafkaError)?.name == "TOPIC_AUTHORIZATION_FAILED"
        }
    }

    @Test func transientErrorsThatLastPastTheBoundAreThrown() throws {
        let broker = try brokerWithRecords(1)
        final class Idle: RebalanceListener, @unchecked Sendable {
            func partitionsAssigned(_ p: [TopicPartition], consumer: KafkaConsumer) {}
            func partitionsRevoked(_ p: [TopicPartition], consumer: KafkaConsumer) {}
        }
        let consumer = try KafkaConsumer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "group.id": "w"]), listener: Idle())
        let code = try #require(KafkaError.code(named: "LEADER_NOT_AVAILABLE"))
        broker.injectErrors(apiKey: Self.listOffsets, count: 1000, errorCode: code)
        #expect { try consumer.watermarks(TopicPartition("t", 0), timeoutMilliseconds: 1_500) } throws: { error in
            // librdkafka retries this one itself inside the time given, then says it timed out.
            ["LEADER_NOT_AVAILABLE", "_TIMED_OUT"].contains((error as? KafkaError)?.name)
        }
    }
}
