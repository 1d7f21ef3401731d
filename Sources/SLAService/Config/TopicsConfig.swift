// The `kafka:` and `topics:` sections of slawatch's configuration file.

import Foundation
import SLACore
import SLAKafka

/// Kafka client properties and the topics slawatch needs, as the configuration file gives them:
///
/// ```yaml
/// kafka:                      # any librdkafka property, passed through
///   bootstrap.servers: 127.0.0.1:9092
/// topics:
///   - name: 95598.tickets
///     partitions: 12
///     replication_factor: 3
///     config: { retention.ms: "604800000" }
/// ```
public struct TopicsConfig: Sendable, Equatable {
    /// Client properties.
    public var kafka: KafkaConfig
    /// The topics to create or check.
    public var topics: [TopicSpec]

    /// Parses the file's text; every problem names the file, line and key. Secret values may
    /// come from files or systemd credentials (see ``SecretSource``).
    public static func parse(_ text: String, file: String,
                             secrets: SecretSource = SecretSource(environment: ProcessInfo.processInfo.environment)) throws(FileProblem) -> TopicsConfig {
        let root = try YAMLNode.parse(text, file: file)
        let config = try sections(of: root, secrets: secrets)
        guard config.kafka.bootstrapServers != nil else { throw root.problem("kafka.bootstrap.servers is required") }
        return config
    }

    /// The `kafka:` and `topics:` sections of a parsed file (a `worker:` section is left to
    /// ``SlawatchConfig``); `bootstrap.servers` is not required here, as the environment may give it.
    static func sections(of root: YAMLNode, secrets: SecretSource) throws(FileProblem) -> TopicsConfig {
        var kafka = KafkaConfig()
        var topics: [TopicSpec] = []
        for (key, value) in try root.mapping(allowed: ["kafka", "topics", "worker"]) where key != "worker" {
            if key == "kafka" {
                for (k, v) in try value.mapping() { kafka[k] = try secrets.value(of: v) }
            } else {
                topics = try Self.topics(of: value)
            }
        }
        return TopicsConfig(kafka: kafka, topics: topics)
    }

    /// The topic list of a `topics:` section.
    static func topics(of value: YAMLNode) throws(FileProblem) -> [TopicSpec] {
        var topics: [TopicSpec] = []
        var names = Set<String>()
        for t in try value.sequence() {
            let f = Dictionary(uniqueKeysWithValues: try t.mapping(allowed: ["name", "partitions", "replication_factor", "config"]))
            guard let name = f["name"], let partitions = f["partitions"], let rf = f["replication_factor"] else {
                throw t.problem("a topic needs name, partitions and replication_factor")
            }
            let n = try name.nonEmptyString()
            guard Self.isValidTopicName(n) else {
                throw name.problem("\"\(n)\" is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -, not . or ..)")
            }
            guard names.insert(n).inserted else { throw name.problem("topic \(n) is listed twice") }
            let p = try partitions.int(), r = try rf.int()
            guard (1...10_000).contains(p) else { throw partitions.problem("partitions must be 1…10000") }
            guard (1...32).contains(r) else { throw rf.problem("replication_factor must be 1…32") }
            var configs: [String: String] = [:]
            if let c = f["config"] { for (k, v) in try c.mapping() { configs[k] = try v.string() } }
            topics.append(TopicSpec(name: n, partitions: Int32(p), replicationFactor: Int32(r), configs: configs))
        }
        return topics
    }

    /// Kafka's rule for topic names.
    public static func isValidTopicName(_ n: String) -> Bool {
        guard !n.isEmpty, n.utf8.count <= 249, n != ".", n != ".." else { return false }
        return n.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 95 || $0 == 45 }
    }
}
