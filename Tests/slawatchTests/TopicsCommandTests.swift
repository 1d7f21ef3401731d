import Foundation
import SLAKafka
import Testing

@Suite struct TopicsCommandTests {
    private func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-topics-\(UUID()).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func checksExistingTopicsIdempotentlyAndRefusesAWrongShape() throws {
        let broker = try DevBroker(brokers: 3)
        try broker.createTopic("95598.tickets", partitions: 6, replicationFactor: 3)
        try broker.createTopic("95598.sla.events", partitions: 6, replicationFactor: 3)
        let good = try file("""
            kafka:
              bootstrap.servers: \(broker.bootstrapServers)
            topics:
              - { name: 95598.tickets, partitions: 6, replication_factor: 3 }
              - { name: 95598.sla.events, partitions: 6, replication_factor: 3 }
            """)
        for _ in 0..<2 {
            let r = try CLI.run(["topics", "create", "--config", good])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == "ok 95598.tickets\nok 95598.sla.events\n")
        }
        let bad = try file("""
            kafka:
              bootstrap.servers: \(broker.bootstrapServers)
            topics:
              - { name: 95598.tickets, partitions: 12, replication_factor: 3 }
            """)
        let r = try CLI.run(["topics", "create", "--config", bad])
        #expect(r.status == 1)
        #expect(r.stderr.contains("existing topics differ from the configuration (nothing was changed):\n  95598.tickets: 6 partitions, expected 12"))
    }

    @Test func refusesAnUnreadableOrBadFile() throws {
        let missing = try CLI.run(["topics", "create", "--config", "/nonexistent.yaml"])
        #expect(missing.status == 1 && missing.stderr == "slawatch: /nonexistent.yaml: cannot read the file (missing or not readable)\n")
        let path = try file("kafka: {bootstrap.servers: x}\ntopics:\n  - {name: t, partitions: 0, replication_factor: 1}\n")
        let bad = try CLI.run(["topics", "create", "--config", path])
        #expect(bad.status == 1 && bad.stderr.contains("\(path):3:27: topics[0].partitions: partitions must be 1…10000"), "\(bad.stderr)")
    }
}
