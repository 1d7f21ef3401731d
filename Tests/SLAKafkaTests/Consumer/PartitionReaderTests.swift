import Foundation
import Testing
@testable import SLAKafka

@Suite struct PartitionReaderTests {
    @Test func readsGivenPartitionsFromTheBeginningToTheirEnd() throws {
        let broker = try DevBroker(brokers: 2)
        try broker.createTopic("changelog", partitions: 3)
        let p = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        for part in Int32(0)..<3 {
            for i in 0..<(Int(part) * 100) {  // 0, 100 and 200 records
                try p.send(ProducerRecord(topic: "changelog", partition: part, key: Array("T\(i)".utf8), value: Array("s\(i)".utf8))) { _ in }
            }
        }
        try p.close(timeoutMilliseconds: 10_000)
        let reader = try PartitionReader(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        var seen: [TopicPartition: [Int64]] = [:]
        let n = try reader.readToEnd([TopicPartition("changelog", 1), TopicPartition("changelog", 2), TopicPartition("changelog", 0)]) { batch in
            for r in batch { seen[r.topicPartition, default: []].append(r.offset) }
        }
        #expect(n == 300)
        #expect(seen[TopicPartition("changelog", 1)] == Array(0..<100))
        #expect(seen[TopicPartition("changelog", 2)] == Array(0..<200))
        #expect(seen[TopicPartition("changelog", 0)] == nil)
        // Read again: the reader starts from the beginning every time.
        #expect(try reader.readToEnd([TopicPartition("changelog", 1)]) { _ in } == 100)
    }

    @Test func readsWhatKcatProduced() throws {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("x", partitions: 1)
        let produced = try Kcat.run(["-b", broker.bootstrapServers, "-P", "-t", "x", "-K", ":", "-H", "source=kcat", "-H", "v=1"],
                                    input: "T1:{\"a\":1}\nT2:{\"a\":2}\n")
        #expect(produced.status == 0, "\(produced.err)")
        let reader = try PartitionReader(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        var records: [ConsumerRecord] = []
        try reader.readToEnd([TopicPartition("x", 0)]) { records += $0 }
        #expect(records.map(\.key) == [Array("T1".utf8), Array("T2".utf8)])
        #expect(records.map(\.value) == [Array(#"{"a":1}"#.utf8), Array(#"{"a":2}"#.utf8)])
        #expect(records[0].headers == [.init(name: "source", value: Array("kcat".utf8)), .init(name: "v", value: Array("1".utf8))])
        #expect(records[0].timestamp != nil)
    }

    /// More records wait than librdkafka's default `queued.min.messages` (100 000), which the
    /// reader's role raises: every one is still read once, in order, and the read stops at the end.
    @Test func theReaderRoleReadsEveryRecordWhenMoreWaitThanLibrdkafkasDefaultQueue() throws {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("big", partitions: 4)
        let p = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "linger.ms": "20",
                                                       "queue.buffering.max.messages": "200000"]))
        let perPartition = 40_000  // 160 000 in all
        for part in Int32(0)..<4 {
            for i in 0..<perPartition {
                try p.send(ProducerRecord(topic: "big", partition: part, key: Array("T\(i)".utf8), value: [UInt8(i % 251)])) { _ in }
            }
        }
        try p.close(timeoutMilliseconds: 60_000)
        let role = KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "group.id": "g"]).readerRole
        #expect(role["queued.min.messages"] == "1000000")
        let reader = try PartitionReader(config: role)
        var next: [Int32: Int64] = [:]
        var misplaced = 0
        let n = try reader.readToEnd((0..<4).map { TopicPartition("big", $0) }) { batch in
            for r in batch {
                let expected = next[r.topicPartition.partition, default: 0]
                if r.offset != expected || r.value != [UInt8(Int(expected) % 251)] { misplaced += 1 }
                next[r.topicPartition.partition] = r.offset + 1
            }
        }
        #expect(n == 4 * perPartition)
        #expect(misplaced == 0)
        #expect(next == [0: Int64(perPartition), 1: Int64(perPartition), 2: Int64(perPartition), 3: Int64(perPartition)])
    }
}
