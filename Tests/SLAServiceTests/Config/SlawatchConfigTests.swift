import Foundation
import SLACore
import SLAKafka
import SLAService
import Testing

@Suite struct SlawatchConfigTests {
    static let file = """
        kafka:
          bootstrap.servers: 10.0.0.1:9092
          security.protocol: SASL_SSL
        worker:
          group_id: hotline
          tickets_topic: prov.tickets
          commit_interval: 2s
          rollup_interval: 30s
          batch_size: 500
          catch_up_rate: 100
          policy: /etc/slawatch/policy.yaml
        """

    @Test func readsTheWorkerSectionAndKeepsDefaultsForTheRest() throws {
        let c = try SlawatchConfig.parse(Self.file, file: "s.yaml")
        #expect(c.worker.groupId == "hotline")
        #expect(c.kafka["group.id"] == "hotline")
        #expect(c.worker.ticketsTopic == "prov.tickets")
        #expect(c.worker.outagesTopic == "95598.outages")
        #expect(c.worker.commitInterval == .seconds(2))
        #expect(c.worker.rollupInterval == .seconds(30))
        #expect(WorkerSettings().rollupInterval == .seconds(1), "by default the stage takes at every checkpoint")
        #expect(c.worker.batchSize == 500)
        #expect(c.worker.catchUpRate == 100)
        #expect(c.worker.policyPath == "/etc/slawatch/policy.yaml")
        #expect(c.worker.calendarPath == nil)
        #expect(c.kafka["security.protocol"] == "SASL_SSL")
    }

    @Test func theEnvironmentOverridesTheFile() throws {
        let c = try SlawatchConfig.parse(Self.file, file: "s.yaml", environment: [
            "SLAWATCH_KAFKA_BOOTSTRAP_SERVERS": "10.0.0.2:9093",
            "SLAWATCH_KAFKA_SASL_PASSWORD": "s3cret",
            "SLAWATCH_WORKER_GROUP_ID": "other",
            "SLAWATCH_WORKER_BATCH_SIZE": "50",
            "PATH": "/usr/bin",
        ])
        #expect(c.kafka["bootstrap.servers"] == "10.0.0.2:9093")
        #expect(c.kafka["sasl.password"] == "s3cret")
        #expect(!c.kafka.description.contains("s3cret"))
        #expect(c.worker.groupId == "other" && c.kafka["group.id"] == "other")
        #expect(c.worker.batchSize == 50)
    }

    @Test func brokersMayComeFromTheEnvironmentAlone() throws {
        let c = try SlawatchConfig.parse("worker:\n  group_id: g\n", file: "s.yaml", environment: ["SLAWATCH_KAFKA_BOOTSTRAP_SERVERS": "k:9092"])
        #expect(c.kafka["bootstrap.servers"] == "k:9092")
        #expect(throws: FileProblem.self) { try SlawatchConfig.parse("worker:\n  group_id: g\n", file: "s.yaml") }
    }

    @Test(arguments: [
        ("worker:\n  batch_size: 0\n", "s.yaml:2:15: worker.batch_size: \"0\" is not a whole number from 1 to 100000"),
        ("worker:\n  commit_interval: soon\n", "s.yaml:2:20: worker.commit_interval: \"soon\" is not a duration from 10ms to 1h (e.g. 1s, 500ms, 2m)"),
        ("worker:\n  rollup_interval: 2h\n", "s.yaml:2:20: worker.rollup_interval: \"2h\" is not a duration from 10ms to 1h (e.g. 1s, 500ms, 2m)"),
        ("worker:\n  events_topic: \"a b\"\n", "s.yaml:2:17: worker.events_topic: \"a b\" is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -, not . or ..)"),
        ("worker:\n  colour: blue\n", nil),
        ("worker:\n  ticket_changelog: 95598.tickets\n", "worker: ticket_changelog and tickets_topic are both 95598.tickets; each needs its own topic"),
    ] as [(String, String?)])
    func refusesBadValuesNamingFileLineAndKey(_ worker: String, _ message: String?) {
        do {
            _ = try SlawatchConfig.parse("kafka: {bootstrap.servers: k:1}\n" + worker, file: "s.yaml")
            Issue.record("accepted \(worker)")
        } catch {
            if let message { #expect("\(error)".contains(message.replacingOccurrences(of: "s.yaml:2:", with: "s.yaml:3:")), "\(error)") }
            else { #expect("\(error)".contains("colour"), "\(error)") }
        }
    }

    @Test func refusesABadEnvironmentValueNamingTheVariable() {
        #expect(throws: FileProblem.self) {
            try SlawatchConfig.parse(Self.file, file: "s.yaml", environment: ["SLAWATCH_WORKER_CATCH_UP_RATE": "fast"])
        }
        do {
            _ = try SlawatchConfig.parse(Self.file, file: "s.yaml", environment: ["SLAWATCH_WORKER_NOPE": "1"])
            Issue.record("accepted SLAWATCH_WORKER_NOPE")
        } catch {
            #expect("\(error)".contains("SLAWATCH_WORKER_NOPE: unknown key"), "\(error)")
        }
    }
}

@Suite struct ShippedConfigTests {
    @Test func theExampleInDeployParsesAndMatchesTheDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("deploy/slawatch.yaml").path
        let c = try SlawatchConfig.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(c.worker == WorkerSettings())
        #expect(c.topics.count == 10)
        // Co-partitioned changelogs, as the worker demands at start.
        let p = Dictionary(uniqueKeysWithValues: c.topics.map { ($0.name, $0.partitions) })
        #expect(p[c.worker.ticketChangelog] == p[c.worker.ticketsTopic])
        #expect(p[c.worker.outageChangelog] == p[c.worker.outagesTopic])
        #expect(p[c.worker.rollupChangelog] == p[c.worker.outcomesTopic])
        #expect(c.topics.first { $0.name == c.worker.rollupsTopic }?.configs["cleanup.policy"] == "compact")
        #expect(c.topics.first { $0.name == c.worker.ticketChangelog }?.configs["cleanup.policy"] == "compact")
    }
}
