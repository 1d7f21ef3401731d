// slawatch's configuration file as a whole: `kafka:`, `topics:` and `worker:`, with environment overrides.

import SLACore
import SLAKafka

/// Everything `slawatch run` needs, from one YAML file and the environment.
///
/// The file has three sections: `kafka:` (any librdkafka property, passed through), `topics:`
/// (for `slawatch topics create`, see ``TopicsConfig``) and `worker:` (see ``WorkerSettings``).
/// The environment overrides the file:
/// - `SLAWATCH_KAFKA_<PROPERTY>` sets a librdkafka property, `_` read as `.`:
///   `SLAWATCH_KAFKA_BOOTSTRAP_SERVERS`, `SLAWATCH_KAFKA_SASL_PASSWORD`;
/// - `SLAWATCH_WORKER_<KEY>` sets a worker key: `SLAWATCH_WORKER_GROUP_ID`.
public struct SlawatchConfig: Sendable, Equatable {
    /// Client properties (`group.id` is set from the worker's `group_id`).
    public var kafka: KafkaConfig
    /// Topics for `topics create`.
    public var topics: [TopicSpec]
    /// The worker's settings.
    public var worker: WorkerSettings

    /// A configuration from its parts.
    public init(kafka: KafkaConfig, topics: [TopicSpec] = [], worker: WorkerSettings = WorkerSettings()) {
        self.kafka = kafka; self.topics = topics; self.worker = worker
    }

    /// Parses the file's text and applies `environment`. Every problem names the file, line and
    /// key, or the environment variable.
    public static func parse(_ text: String, file: String, environment: [String: String] = [:]) throws(FileProblem) -> SlawatchConfig {
        let root = try YAMLNode.parse(text, file: file)
        var worker = WorkerSettings()
        for (key, value) in try root.mapping(allowed: ["kafka", "topics", "worker"]) where key == "worker" {
            for (k, v) in try value.mapping(allowed: Set(WorkerSettings.keys)) {
                let text = v.isMapping ? "" : try v.string()
                do throws(SettingRefusal) { try worker.set(k, text) } catch { throw v.problem(error.reason) }
            }
        }
        var kafkaOverrides: [String: String] = [:]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            if name.hasPrefix("SLAWATCH_KAFKA_"), name.count > 15 {
                kafkaOverrides[name.dropFirst(15).lowercased().replacingOccurrences(of: "_", with: ".")] = value
            } else if name.hasPrefix("SLAWATCH_WORKER_") {
                let key = name.dropFirst(16).lowercased()
                do throws(SettingRefusal) { try worker.set(key, value) } catch {
                    throw FileProblem(file: "environment", line: nil, column: nil, reason: "\(name): \(error.reason)")
                }
            }
        }
        do throws(SettingRefusal) { try worker.validate() } catch { throw root.problem("worker: \(error.reason)") }
        let base = try TopicsConfig.sections(of: root)
        var kafka = base.kafka
        for (k, v) in kafkaOverrides { kafka[k] = v }
        guard kafka["bootstrap.servers"] != nil else {
            throw root.problem("kafka.bootstrap.servers is required (in the file or as SLAWATCH_KAFKA_BOOTSTRAP_SERVERS)")
        }
        kafka["group.id"] = worker.groupId
        return SlawatchConfig(kafka: kafka, topics: base.topics, worker: worker)
    }
}
