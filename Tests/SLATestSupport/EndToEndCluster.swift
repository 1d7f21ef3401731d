// A development broker with slawatch's topics, an event sender and an output reader, for end-to-end tests.

import Foundation
import SLACore
import SLAKafka
import SLAService

/// One development cluster per test, with every topic the worker needs.
public final class EndToEndCluster: @unchecked Sendable {
    // @unchecked: the producer is thread-safe; `sequence` is guarded by `lock`.
    public let broker: DevBroker
    public let partitions: Int32
    /// Partitions of the output topics, the outcomes (an input of the rollup stage) among them.
    public static let outcomePartitions: Int32 = 2
    public let settings: WorkerSettings
    private let producer: KafkaProducer
    private let lock = NSLock()
    private var sequence = 0

    /// Starts the cluster and creates the topics (`partitions` for inputs and changelogs,
    /// unless `changelogPartitions` says otherwise).
    public init(partitions: Int32 = 4, brokers: Int = 1, group: String = "e2e", changelogPartitions: Int32? = nil) throws {
        broker = try DevBroker(brokers: brokers)
        self.partitions = partitions
        var s = WorkerSettings()
        s.groupId = group
        s.commitInterval = TimeSpan(milliseconds: 200)
        s.shutdownTimeout = .seconds(20)
        // Two owner queues whatever the machine's cores: every end-to-end test runs the split
        // (partition p on owner p % 2), the parts that meet across owners included.
        s.owners = 2
        settings = s
        for t in [s.ticketsTopic, s.outagesTopic, s.ticketChangelog, s.outageChangelog] {
            let n = t == s.ticketChangelog ? changelogPartitions ?? partitions : partitions
            try broker.createTopic(t, partitions: n, replicationFactor: Int32(min(brokers, 3)))
        }
        for t in [s.eventsTopic, s.escalationsTopic, s.deadLetterTopic, s.outcomesTopic, s.rollupChangelog, s.rollupsTopic] {
            try broker.createTopic(t, partitions: Self.outcomePartitions, replicationFactor: 1)
        }
        producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "linger.ms": "1"]))
    }

    /// The worker configuration for this cluster: quick group timings for tests.
    public var config: SlawatchConfig {
        SlawatchConfig(kafka: KafkaConfig([
            "bootstrap.servers": broker.bootstrapServers, "group.id": settings.groupId,
            "session.timeout.ms": "6000", "heartbeat.interval.ms": "300", "message.timeout.ms": "30000",
            "fetch.wait.max.ms": "20",
        ]), topics: [], worker: settings)
    }

    /// The same configuration as a file `slawatch run --config` reads.
    public func configFile(policyPath: String) -> String {
        """
        kafka:
          bootstrap.servers: "\(broker.bootstrapServers)"
          session.timeout.ms: "6000"
          heartbeat.interval.ms: "300"
          message.timeout.ms: "30000"
          fetch.wait.max.ms: "20"
        worker:
          group_id: \(settings.groupId)
          policy: \(policyPath)
          commit_interval: 200ms
          shutdown_timeout: 20s

        """
    }

    /// A new worker on this cluster.
    public func worker(policy: Policy, clock: any SLAClock = SystemClock()) throws -> SLAWorker {
        try SLAWorker(config: config, policy: policy, calendar: try DefaultFiles.calendar(), clock: clock)
    }

    /// A ticket event's JSON (a fresh `event_id` each call unless given).
    public func ticket(_ id: String, _ action: String, at t: Timestamp, kind: String = "fault_repair", eventId: String? = nil, extra: String = "") -> [UInt8] {
        let ev = eventId ?? nextEventId()
        let text = #"{"event_id":"\#(ev)","ticket_id":"\#(id)","kind":"\#(kind)","action":"\#(action)","occurred_at":"\#(RFC3339.format(t, offsetSeconds: 8 * 3600))","unit":"U1","region":"urban""#
            + (extra.isEmpty ? "" : "," + extra) + "}"
        return Array(text.utf8)
    }

    /// An outage event's JSON (a fresh `event_id`).
    public func outage(_ id: String, _ action: String, at t: Timestamp, kind: String = "fault", feeders: [String],
                       startAt: Timestamp, estRestoreAt: Timestamp) -> [UInt8] {
        func f(_ t: Timestamp) -> String { RFC3339.format(t, offsetSeconds: 8 * 3600) }
        let list = feeders.map { "\"\($0)\"" }.joined(separator: ",")
        let text = #"{"event_id":"\#(nextEventId())","outage_id":"\#(id)","kind":"\#(kind)","action":"\#(action)","occurred_at":"\#(f(t))","start_at":"\#(f(startAt))","est_restore_at":"\#(f(estRestoreAt))","feeders":[\#(list)],"cause":"cable fault","unit":"U1"}"#
        return Array(text.utf8)
    }

    private func nextEventId() -> String { lock.withLock { sequence += 1; return "e2e-\(sequence)" } }

    /// Sends records to the tickets topic (keyed by ticket id unless `key` says otherwise) and
    /// waits until they are stored.
    public func send(_ values: [(key: String?, value: [UInt8])], topic: String? = nil) throws {
        let t = topic ?? settings.ticketsTopic
        let failures = FailureList()
        for v in values {
            try producer.send(ProducerRecord(topic: t, key: v.key.map { Array($0.utf8) }, value: v.value)) { r in
                if case .failure(let e) = r { failures.add("\(e)") }
            }
        }
        try producer.flush(timeoutMilliseconds: 10_000)
        if let f = failures.first { throw KafkaError(code: -1, message: "send failed: \(f)") }
    }

    /// A worker on this cluster, started and warmed up (see ``warmUp(_:seconds:)``); stopped
    /// again if it does not warm up.
    public func startedWorker(policy: Policy) throws -> SLAWorker {
        let w = try worker(policy: policy)
        try w.start()
        do { try warmUp(w) } catch {
            w.stop()
            _ = w.waitUntilStopped()
            throw error
        }
        return w
    }

    /// Waits until the workers own partitions and one of them has consumed a record that no
    /// stage times (a praise, untracked by ``SecondsPolicy``), so the first records of a test
    /// meet a warm consumer.
    public func warmUp(_ workers: SLAWorker..., seconds: Double = 30) throws {
        guard Self.waitUntil(seconds: seconds, { workers.allSatisfy(\.isReady) }) else { throw KafkaError(code: -1, message: "the workers never became ready") }
        func consumed() -> Int { workers.reduce(0) { $0 + $1.stats.consumed } }
        let before = consumed()
        try send([("warm-up", ticket("warm-up", "created", at: SystemClock.read(), kind: "praise"))])
        guard Self.waitUntil(seconds: seconds, { consumed() > before }) else { throw KafkaError(code: -1, message: "the workers consumed nothing") }
    }

    /// Every record on the output topics now, parsed.
    public func outputs() throws -> [Output] {
        let reader = try PartitionReader(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        var out: [Output] = []
        let tps = [settings.eventsTopic, settings.escalationsTopic].flatMap { t in (Int32(0)..<2).map { TopicPartition(t, $0) } }
        try reader.readToEnd(tps) { batch in
            for r in batch {
                guard let v = r.value, let json = try? JSONSerialization.jsonObject(with: Data(v)) as? [String: Any] else { continue }
                out.append(Output(topic: r.topicPartition.topic, key: r.key.map { String(decoding: $0, as: UTF8.self) } ?? "", fields: json))
            }
        }
        return out
    }

    /// Every record now on an output topic (one of `outcomePartitions` partitions), in partition order.
    public func records(_ topic: String) throws -> [ConsumerRecord] {
        let reader = try PartitionReader(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        var out: [ConsumerRecord] = []
        try reader.readToEnd((0..<Self.outcomePartitions).map { TopicPartition(topic, $0) }) { out += $0 }
        return out
    }

    /// The outcome records of one rollup view (header `slawatch.view`): key and parsed value.
    public func outcomes(view: String = "unit") throws -> [(key: String, fields: [String: Any])] {
        try records(settings.outcomesTopic).compactMap { r in
            guard r.headers.first(where: { $0.name == "slawatch.view" })?.value == Array(view.utf8) else { return nil }
            return (r.key.map { String(decoding: $0, as: UTF8.self) } ?? "", Self.json(r.value))
        }
    }

    /// The rollups topic as a compacted topic ends up: the latest record per key, parsed.
    public func rollups() throws -> [String: [String: Any]] {
        var latest: [String: [String: Any]] = [:]
        for r in try records(settings.rollupsTopic) { latest[r.key.map { String(decoding: $0, as: UTF8.self) } ?? ""] = Self.json(r.value) }
        return latest
    }

    private static func json(_ v: [UInt8]?) -> [String: Any] {
        v.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] } ?? [:]
    }

    /// Every record on the dead-letter topic now.
    public func deadLetters() throws -> [ConsumerRecord] { try records(settings.deadLetterTopic) }

    /// Stops workers one at a time, letting the group settle in between (the others own all
    /// the input partitions again): librdkafka 2.0 can abort when a consumer closes in the middle
    /// of a rebalance.
    public func stopInTurn(_ workers: [SLAWorker]) {
        SLAWorker.stopInTurn(workers, inputPartitions: Int(partitions) * 2 + Int(Self.outcomePartitions))
    }

    /// Polls `condition` every 100 ms until it holds or `seconds` pass; returns whether it held.
    public static func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }
}

/// One emitted record as the ops desks would read it.
public struct Output: @unchecked Sendable {
    // @unchecked: `fields` holds JSONSerialization's immutable value types only.
    public var topic: String
    public var key: String
    public var fields: [String: Any]
    public var eventId: String { fields["event_id"] as? String ?? "" }
    public var type: String { fields["type"] as? String ?? "" }
    public func string(_ k: String) -> String? { fields[k] as? String }
}

/// Delivery failures collected from completions.
final class FailureList: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.withLock { items.append(s) } }
    var first: String? { lock.withLock { items.first } }
}
