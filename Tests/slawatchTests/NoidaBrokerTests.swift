import Foundation
import Testing
import SLACore
import SLAKafka
import SLAService
import SLATestSupport

/// The same daemon against a second, independent Kafka-protocol broker that keeps its data on
/// disk (noida-db): `topics create` for real, a worker killed with -9 in the middle of a
/// backlog, and the broker itself killed with -9 and started again on its data. Nothing may be
/// lost; repeats must be identical.
@Suite(.serialized) struct NoidaBrokerTests {
    static let topicsYAML = """
        topics:
          - { name: 95598.tickets, partitions: 3, replication_factor: 1 }
          - { name: 95598.outages, partitions: 3, replication_factor: 1 }
          - { name: slawatch.tickets.changelog, partitions: 3, replication_factor: 1, config: { cleanup.policy: compact } }
          - { name: slawatch.outages.changelog, partitions: 3, replication_factor: 1, config: { cleanup.policy: compact } }
          - { name: 95598.sla.events, partitions: 2, replication_factor: 1 }
          - { name: 95598.sla.escalations, partitions: 2, replication_factor: 1 }
          - { name: 95598.dead-letter, partitions: 1, replication_factor: 1 }
          - { name: slawatch.outcomes, partitions: 2, replication_factor: 1 }
          - { name: slawatch.rollups.changelog, partitions: 2, replication_factor: 1, config: { cleanup.policy: compact } }
          - { name: slawatch.rollups, partitions: 2, replication_factor: 1, config: { cleanup.policy: compact } }

        """
    static let topicNames = ["95598.tickets", "95598.outages", "slawatch.tickets.changelog", "slawatch.outages.changelog", "95598.sla.events",
                             "95598.sla.escalations", "95598.dead-letter", "slawatch.outcomes", "slawatch.rollups.changelog", "slawatch.rollups"]

    /// A configuration file for `broker`: the seconds policy, quick group timings, no HTTP server.
    static func config(_ broker: NoidaBroker, topics: String = topicsYAML) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-noida-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let policy = dir.appendingPathComponent("policy.yaml").path
        try SecondsPolicy.text.write(toFile: policy, atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("slawatch.yaml").path
        try """
            kafka:
              bootstrap.servers: "\(broker.bootstrapServers)"
              session.timeout.ms: "6000"
              heartbeat.interval.ms: "300"
              message.timeout.ms: "60000"
              fetch.wait.max.ms: "20"
              # noida-db 0.2.3 never expires a member killed with -9 (it stays the group's
              # leader and the rebalance never ends): the restarted worker takes its place as
              # the same static member (docs/kafka.md).
              group.instance.id: "noida-worker"
            worker:
              group_id: noida
              policy: \(policy)
              commit_interval: 200ms
              shutdown_timeout: 20s
              http_listen: ""
            \(topics)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A complaint created an hour ago: started, warning, overdue and urge fall due at once.
    static func complaint(_ id: String, at t: Timestamp) -> (key: String?, value: [UInt8]) {
        (id, Array(#"{"event_id":"\#(id)-created","ticket_id":"\#(id)","kind":"complaint","action":"created","occurred_at":"\#(RFC3339.format(t, offsetSeconds: 8 * 3600))","unit":"U1"}"#.utf8))
    }

    static func send(_ records: [(key: String?, value: [UInt8])], to broker: NoidaBroker) throws {
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "linger.ms": "5"]))
        for r in records {
            try producer.send(ProducerRecord(topic: "95598.tickets", key: r.key.map { Array($0.utf8) }, value: r.value)) { _ in }
        }
        try producer.flush(timeoutMilliseconds: 30_000)
    }

    /// Every SLA event on the two output topics: (event id, the event's JSON without detected_at).
    static func outputs(_ broker: NoidaBroker) throws -> [(id: String, body: String)] {
        let reader = try PartitionReader(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        var out: [(String, String)] = []
        let tps = ["95598.sla.events", "95598.sla.escalations"].flatMap { t in (Int32(0)..<2).map { TopicPartition(t, $0) } }
        try reader.readToEnd(tps, timeoutMilliseconds: 120_000) { batch in
            for r in batch {
                guard let v = r.value, var json = try? JSONSerialization.jsonObject(with: Data(v)) as? [String: Any], let id = json["event_id"] as? String else { continue }
                // When it was noticed may differ between a first publication and its repeat.
                json["detected_at"] = nil
                let body = String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
                out.append((id, body))
            }
        }
        return out
    }

    /// How many SLA events the output topics hold (their high watermarks: nothing is compacted there).
    static func outputCount(_ broker: NoidaBroker) throws -> Int64 {
        let consumer = try KafkaConsumer(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers, "group.id": "noida-count"]), listener: Unassigned())
        let tps = ["95598.sla.events", "95598.sla.escalations"].flatMap { t in (Int32(0)..<2).map { TopicPartition(t, $0) } }
        return try consumer.watermarks(tps, timeoutMilliseconds: 10_000).values.reduce(0) { $0 + $1.high }
    }

    /// Waits until the output topics hold every id of `expected` (counting first, which is
    /// cheap, then reading), and returns what they hold.
    static func outputs(_ broker: NoidaBroker, holding expected: Set<String>, seconds: Double) throws -> [(id: String, body: String)] {
        let deadline = Date(timeIntervalSinceNow: seconds)
        _ = EndToEndCluster.waitUntil(seconds: seconds) { ((try? outputCount(broker)) ?? 0) >= Int64(expected.count) }
        var got = try outputs(broker)
        while !Set(got.map(\.id)).isSuperset(of: expected), Date() < deadline {
            Thread.sleep(forTimeInterval: 1)
            got = try outputs(broker)
        }
        return got
    }

    /// What the tracker alone emits for `events` up to `until`, by id.
    static func expected(_ events: [(key: String?, value: [UInt8])], until: Timestamp) throws -> Set<String> {
        var engine = ReplayEngine(tracker: SLATracker(policy: try SecondsPolicy.policy(), calendar: try DefaultFiles.calendar()))
        var ids: [String] = []
        for e in try events.map({ try EventDecoder.any($0.value) }).sorted(by: { $0.occurredAt < $1.occurredAt }) { ids += try engine.feed(e).map(\.eventId) }
        ids += engine.advance(to: until).map(\.eventId)
        return Set(ids)
    }

    /// Checks that the outputs hold exactly `expected`, and that every repeat is identical.
    static func check(_ got: [(id: String, body: String)], _ expected: Set<String>) {
        let ids = Set(got.map(\.id))
        let missing = expected.subtracting(ids), unexpected = ids.subtracting(expected)
        #expect(missing.isEmpty && unexpected.isEmpty, "\(missing.count) missing (e.g. \(missing.sorted().prefix(3))), \(unexpected.count) unexpected (e.g. \(unexpected.sorted().prefix(3)))")
        let repeats = got.count - ids.count
        print("noida figures: \(got.count) outputs, \(ids.count) distinct, \(repeats) repeats")
        for (id, copies) in Dictionary(grouping: got, by: \.id) where copies.count > 1 {
            #expect(Set(copies.map(\.body)).count == 1, "repeat of \(id) differs")
        }
    }

    @Test func topicsCreateCreatesThenChecksThenReportsAWrongShape() throws {
        let broker = try NoidaBroker()
        let path = try Self.config(broker)
        let first = try CLI.run(["topics", "create", "--config", path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == Self.topicNames.map { "created \($0)\n" }.joined())
        let second = try CLI.run(["topics", "create", "--config", path])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == Self.topicNames.map { "ok \($0)\n" }.joined(), "\(second.stdout)")
        let wrong = try Self.config(broker, topics: """
            topics:
              - { name: 95598.tickets, partitions: 6, replication_factor: 1 }
              - { name: slawatch.tickets.changelog, partitions: 3, replication_factor: 1, config: { cleanup.policy: delete } }
            """)
        let third = try CLI.run(["topics", "create", "--config", wrong])
        #expect(third.status == 1)
        #expect(third.stderr.contains("existing topics differ from the configuration (nothing was changed):"), "\(third.stderr)")
        #expect(third.stderr.contains("95598.tickets: 3 partitions, expected 6"))
        #expect(third.stderr.contains("slawatch.tickets.changelog: cleanup.policy"), "\(third.stderr)")
    }

    @Test func aWorkerKilledWithMinus9MidBacklogLosesNothing() throws {
        let broker = try NoidaBroker()
        let path = try Self.config(broker)
        #expect(try CLI.run(["topics", "create", "--config", path]).status == 0)
        let base = SystemClock.read().adding(.hours(-1))
        // 5 000 complaints an hour old: 20 000 events to emit, a backlog that takes seconds.
        let events = (0..<5_000).map { Self.complaint("B\($0)", at: base.adding(TimeSpan(milliseconds: Int64($0)))) }
        try Self.send(events, to: broker)
        let expected = try Self.expected(events, until: SystemClock.read())
        #expect(expected.count == 20_000)
        let first = try RunCommandTests.Daemon(config: path)
        // Killed once some of the backlog is out, long before all of it.
        #expect(EndToEndCluster.waitUntil(seconds: 60) { ((try? Self.outputCount(broker)) ?? 0) >= 200 })
        first.kill9()
        let partial = try Self.outputCount(broker)
        print("noida figures: killed with \(partial) of \(expected.count) outputs out")
        #expect(partial < Int64(expected.count), "killed before the backlog was through")
        let second = try RunCommandTests.Daemon(config: path)
        let got = try Self.outputs(broker, holding: expected, seconds: 180)
        Self.check(got, expected)
        #expect(second.terminate() == 0, "\(second.output.suffix(2000))")
    }

    /// Until 2026-12-04 this passed without the broker ever going down: `kill9()` killed the
    /// venv's Python wrapper and left the server running. Killed for real, noida-db 0.2.3 comes
    /// back short (see the reason); broker restarts are covered on the development broker (the
    /// `WithBrokerDown` suites). Kept, to run again on a noida-db that restarts whole.
    @Test(.disabled("""
        noida-db 0.2.3 really killed with -9 and started on its data serves fewer records than it \
        acknowledged (373 of at least 400 outputs) and answers for a partition it no longer knows \
        (Unknown partition, 95598.sla.events[1]); after a stop with SIGINT the daemon's librdkafka \
        broker threads spin against it and the outputs never complete (docs/kafka.md)
        """))
    func theBrokerKilledWithMinus9AndRestartedOnItsDataLosesNothing() throws {
        let broker = try NoidaBroker()
        let path = try Self.config(broker)
        #expect(try CLI.run(["topics", "create", "--config", path]).status == 0)
        let base = SystemClock.read().adding(.hours(-1))
        let before = (0..<100).map { Self.complaint("R\($0)", at: base.adding(TimeSpan(milliseconds: Int64($0)))) }
        try Self.send(before, to: broker)
        let daemon = try RunCommandTests.Daemon(config: path)
        #expect(EndToEndCluster.waitUntil(seconds: 60) { ((try? Self.outputCount(broker)) ?? 0) >= 400 })
        // The broker dies with its data and comes back on it; the daemon rides it out.
        broker.kill9()
        Thread.sleep(forTimeInterval: 2)
        try broker.start()
        let after = (100..<200).map { Self.complaint("R\($0)", at: base.adding(TimeSpan(milliseconds: Int64($0)))) }
        try Self.send(after, to: broker)
        let expected = try Self.expected(before + after, until: SystemClock.read())
        #expect(expected.count == 800)
        let got = try Self.outputs(broker, holding: expected, seconds: 90)
        if got.count < expected.count, !daemon.process.isRunning { Issue.record("the daemon exited: \(daemon.output.suffix(2000))") }
        Self.check(got, expected)
        #expect(daemon.terminate() == 0, "\(daemon.output.suffix(2000))")
    }
}

/// A listener for a consumer that only asks watermarks.
private final class Unassigned: RebalanceListener, @unchecked Sendable {
    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) {}
    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {}
}
