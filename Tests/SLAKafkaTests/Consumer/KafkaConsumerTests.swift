import Foundation
import Testing
@testable import SLAKafka

/// One group member, polling on its own thread, that restores state for 300 ms before it
/// resumes an assigned partition and checks every record against what it owns.
private final class Member: RebalanceListener, @unchecked Sendable {
    let name: String
    private let lock = NSLock()
    private var owned = Set<TopicPartition>()
    private var resumeAt: [TopicPartition: Date] = [:]
    private var resumed = Set<TopicPartition>()
    private(set) var violations: [String] = []
    private(set) var records = 0
    private(set) var assignedEvents: [[TopicPartition]] = []
    private(set) var revokedEvents: [[TopicPartition]] = []
    private var stopFlag = false
    private let done = DispatchSemaphore(value: 0)

    init(name: String) { self.name = name }

    var ownedNow: Set<TopicPartition> { lock.withLock { owned } }

    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        lock.withLock {
            assignedEvents.append(partitions)
            for p in partitions { owned.insert(p); resumeAt[p] = Date().addingTimeInterval(0.3) }
        }
    }

    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        lock.withLock {
            revokedEvents.append(partitions)
            for p in partitions { owned.remove(p); resumed.remove(p); resumeAt[p] = nil }
        }
    }

    func start(bootstrap: String, group: String, topic: String) {
        let t = Thread { [self] in
            do {
                let c = try KafkaConsumer(config: KafkaConfig([
                    "bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                    "session.timeout.ms": "6000", "heartbeat.interval.ms": "300",
                ]), listener: self)
                try c.subscribe([topic])
                while !lock.withLock({ stopFlag }) {
                    // The "restore" finishes: resume what is due.
                    let due = lock.withLock { resumeAt.filter { $0.value <= Date() }.map(\.key) }
                    if !due.isEmpty {
                        try c.resume(due)
                        lock.withLock { for p in due { resumeAt[p] = nil; resumed.insert(p) } }
                    }
                    for r in try c.poll(maxRecords: 100, timeoutMilliseconds: 50) {
                        lock.withLock {
                            records += 1
                            if !owned.contains(r.topicPartition) { violations.append("\(name): record of \(r.topicPartition), not owned") }
                            if !resumed.contains(r.topicPartition) { violations.append("\(name): record of \(r.topicPartition) before it was resumed") }
                        }
                    }
                }
                try c.close()
            } catch {
                lock.withLock { violations.append("\(name): \(error)") }
            }
            done.signal()
        }
        t.start()
    }

    func stop() {
        lock.withLock { stopFlag = true }
        done.wait()
    }
}

/// Waits up to `seconds` for a condition.
private func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end { if condition() { return true }; Thread.sleep(forTimeInterval: 0.05) }
    return condition()
}

@Suite(.serialized) struct KafkaConsumerTests {
    private func fill(_ broker: DevBroker, topic: String, partitions: Int32, perPartition: Int) throws {
        let p = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        for part in 0..<partitions {
            for i in 0..<perPartition {
                try p.send(ProducerRecord(topic: topic, partition: part, key: Array("k\(i)".utf8), value: Array("\(part)-\(i)".utf8))) { _ in }
            }
        }
        try p.close(timeoutMilliseconds: 10_000)
    }

    @Test func partitionsMoveWithRevokeAndPausedAssignBeforeRecordsFlow() throws {
        let broker = try DevBroker(brokers: 3)
        let all = Set((0..<6).map { TopicPartition("in", $0) })
        try broker.createTopic("in", partitions: 6)
        try fill(broker, topic: "in", partitions: 6, perPartition: 20)
        let a = Member(name: "a"), b = Member(name: "b"), c = Member(name: "c")
        func split(_ members: [Member]) -> Bool {
            let sets = members.map(\.ownedNow)
            return sets.allSatisfy { !$0.isEmpty } && sets.reduce(0) { $0 + $1.count } == 6 && sets.reduce(Set()) { $0.union($1) } == all
        }
        a.start(bootstrap: broker.bootstrapServers, group: "g", topic: "in")
        b.start(bootstrap: broker.bootstrapServers, group: "g", topic: "in")
        #expect(eventually(30) { split([a, b]) }, "a=\(a.ownedNow) b=\(b.ownedNow)")
        #expect(eventually(30) { a.records + b.records >= 120 })
        c.start(bootstrap: broker.bootstrapServers, group: "g", topic: "in")
        #expect(eventually(30) { split([a, b, c]) }, "a=\(a.ownedNow) b=\(b.ownedNow) c=\(c.ownedNow)")
        #expect(!c.assignedEvents.isEmpty && !a.revokedEvents.isEmpty)
        c.stop()
        #expect(c.ownedNow.isEmpty)  // close revoked everything c had
        #expect(eventually(30) { split([a, b]) }, "a=\(a.ownedNow) b=\(b.ownedNow)")
        a.stop(); b.stop()
        #expect(a.violations + b.violations + c.violations == [])
    }

    @Test func aReopenedConsumerResumesFromTheCommit() throws {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("c", partitions: 1)
        try fill(broker, topic: "c", partitions: 1, perPartition: 20)
        final class Resumer: RebalanceListener, @unchecked Sendable {
            func partitionsAssigned(_ p: [TopicPartition], consumer: KafkaConsumer) { try? consumer.resume(p) }
            func partitionsRevoked(_ p: [TopicPartition], consumer: KafkaConsumer) {}
        }
        let config = KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "group.id": "g2", "auto.offset.reset": "earliest",
                                  "session.timeout.ms": "6000", "heartbeat.interval.ms": "300"])
        let tp = TopicPartition("c", 0)
        do {
            let first = try KafkaConsumer(config: config, listener: Resumer())
            try first.subscribe(["c"])
            var seen: [ConsumerRecord] = []
            let end = Date().addingTimeInterval(90)
            while seen.count < 10, Date() < end { seen += try first.poll(maxRecords: 10 - seen.count, timeoutMilliseconds: 100) }
            #expect(seen.map(\.offset) == Array(0..<10))
            try first.commit([tp: seen.last!.offset + 1])
            #expect(try first.committed([tp], timeoutMilliseconds: 5_000)[tp] == 10)
            let marks = try first.watermarks(tp, timeoutMilliseconds: 5_000)
            #expect(marks.low == 0 && marks.high == 20)
            try first.close()
        }
        let second = try KafkaConsumer(config: config, listener: Resumer())
        try second.subscribe(["c"])
        var next: [ConsumerRecord] = []
        // The group's second generation takes about 10 s alone on the development broker; with
        // the whole suite running beside it, 30 s was once not enough (CI, 2026-12-07).
        let end = Date().addingTimeInterval(90)
        while next.isEmpty, Date() < end { next = try second.poll(maxRecords: 5, timeoutMilliseconds: 100) }
        #expect(next.first?.offset == 10)
        #expect(next.first?.value == Array("0-10".utf8) && next.first?.key == Array("k10".utf8))
        try second.close()
    }

    @Test func refusesAConsumerWithoutAGroup() {
        final class Nobody: RebalanceListener, @unchecked Sendable {
            func partitionsAssigned(_ p: [TopicPartition], consumer: KafkaConsumer) {}
            func partitionsRevoked(_ p: [TopicPartition], consumer: KafkaConsumer) {}
        }
        do { _ = try KafkaConsumer(config: KafkaConfig(["bootstrap.servers": "127.0.0.1:1"]), listener: Nobody()); Issue.record("accepted") } catch {
            #expect(error.message == "a group consumer needs group.id")
        }
    }
}
