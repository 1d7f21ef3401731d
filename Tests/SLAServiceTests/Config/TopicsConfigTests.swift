import SLACore
import SLAKafka
import SLAService
import Testing

@Suite struct TopicsConfigTests {
    static let valid = """
        kafka:
          bootstrap.servers: 127.0.0.1:9092
          security.protocol: SASL_SSL
          sasl.password: s3cret
        topics:
          - name: 95598.tickets
            partitions: 12
            replication_factor: 3
          - name: 95598.tickets.changelog
            partitions: 12
            replication_factor: 3
            config: { cleanup.policy: compact, min.insync.replicas: 2 }
        """

    @Test func readsKafkaPropertiesAndTopics() throws {
        let c = try TopicsConfig.parse(Self.valid, file: "c.yaml")
        #expect(c.kafka["security.protocol"] == "SASL_SSL")
        #expect(c.kafka.description.contains("sasl.password=***"))
        #expect(c.topics == [
            TopicSpec(name: "95598.tickets", partitions: 12, replicationFactor: 3),
            TopicSpec(name: "95598.tickets.changelog", partitions: 12, replicationFactor: 3,
                      configs: ["cleanup.policy": "compact", "min.insync.replicas": "2"]),
        ])
    }

    @Test(arguments: [
        (valid.replacingOccurrences(of: "partitions: 12\n    replication_factor: 3\n  - name: 95598.tickets.changelog", with: "partitions: twelve\n    replication_factor: 3\n  - name: 95598.tickets.changelog"),
         #"c.yaml:7:17: topics[0].partitions: expected a whole number, got "twelve""#),
        (valid.replacingOccurrences(of: "name: 95598.tickets\n", with: "name: 95598 tickets\n"),
         #"c.yaml:6:11: topics[0].name: "95598 tickets" is not a Kafka topic name"#),
        (valid.replacingOccurrences(of: "95598.tickets.changelog", with: "95598.tickets"), "c.yaml:9:11: topics[1].name: topic 95598.tickets is listed twice"),
        (valid.replacingOccurrences(of: "  bootstrap.servers: 127.0.0.1:9092\n", with: ""), "c.yaml:1:1: kafka.bootstrap.servers is required"),
        (valid + "\ngroup: x", #"c.yaml:13:1: unknown key "group""#),
        (valid.replacingOccurrences(of: "replication_factor: 3\n  - name", with: "replication_factr: 3\n  - name"), #"c.yaml:8:5: topics[0]: unknown key "replication_factr""#),
    ])
    func refusesBadFilesWithLineAndKey(text: String, expected: String) {
        do { _ = try TopicsConfig.parse(text, file: "c.yaml"); Issue.record("accepted") } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }
}
