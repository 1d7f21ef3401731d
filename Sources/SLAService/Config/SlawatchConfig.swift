// slawatch's configuration file as a whole: `kafka:`, `topics:` and `worker:`, with environment overrides.

import Foundation
import SLACore
import SLAKafka

/// Everything `slawatch run` needs, from one YAML file and the environment.
///
/// The file has three sections: `kafka:` (any librdkafka property, passed through; a secret
/// may come from a file or a systemd credential, see ``SecretSource``), `topics:` (for
/// `slawatch topics create`, see ``TopicsConfig``) and `worker:` (see ``WorkerSettings``).
/// The environment overrides the file:
/// - `SLAWATCH_KAFKA_<PROPERTY>` sets a librdkafka property, `_` read as `.`:
///   `SLAWATCH_KAFKA_BOOTSTRAP_SERVERS`, `SLAWATCH_KAFKA_SASL_PASSWORD`;
///   `SLAWATCH_KAFKA_<PROPERTY>_FILE` reads the value from a file;
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

    /// Parses the file's text and applies `environment`; throws the first problem (see
    /// ``check(_:file:environment:secrets:)`` for all of them).
    public static func parse(_ text: String, file: String, environment: [String: String] = [:],
                             secrets: SecretSource? = nil) throws(FileProblem) -> SlawatchConfig {
        let (config, problems) = check(text, file: file, environment: environment, secrets: secrets)
        if let first = problems.first { throw first }
        return config!
    }

    /// Parses the file's text and applies `environment`, collecting every problem: each names
    /// the file, line and key, or the environment variable. The configuration is returned only
    /// when there is none.
    public static func check(_ text: String, file: String, environment: [String: String] = [:],
                             secrets: SecretSource? = nil) -> (config: SlawatchConfig?, problems: [FileProblem]) {
        let secrets = secrets ?? SecretSource(environment: environment)
        var problems: [FileProblem] = []
        var kafkaVariables: [String: String] = [:]
        let root: YAMLNode
        let sections: [(String, YAMLNode)]
        do throws(FileProblem) {
            root = try YAMLNode.parse(text, file: file)
            sections = try root.mapping(allowed: ["kafka", "topics", "worker"])
        } catch {
            return (nil, [error])
        }
        var worker = WorkerSettings()
        var kafka = KafkaConfig()
        var topics: [TopicSpec] = []
        var kafkaNodes: [String: YAMLNode] = [:]
        for (key, value) in sections {
            do throws(FileProblem) {
                switch key {
                case "worker":
                    for (k, v) in try value.mapping() {
                        do throws(FileProblem) {
                            // Any worker value may come from a file or credential (postgres_url holds a password).
                            let text = try secrets.value(of: v)
                            do throws(SettingRefusal) { try worker.set(k, text) } catch { throw v.problem(error.reason) }
                        } catch { problems.append(error) }
                    }
                case "kafka":
                    for (k, v) in try value.mapping() {
                        do throws(FileProblem) { kafka[k] = try secrets.value(of: v); kafkaNodes[k] = v } catch { problems.append(error) }
                    }
                default:
                    topics = try TopicsConfig.topics(of: value)
                }
            } catch { problems.append(error) }
        }
        func environmentProblem(_ name: String, _ reason: String) -> FileProblem {
            FileProblem(file: "environment", line: nil, column: nil, reason: "\(name): \(reason)")
        }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            if name.hasPrefix("SLAWATCH_KAFKA_"), name.count > 15 {
                var property = String(name.dropFirst(15))
                var text = value
                if property.hasSuffix("_FILE") {
                    property = String(property.dropLast(5))
                    do throws(SettingRefusal) { text = try secrets.file(value) } catch {
                        problems.append(environmentProblem(name, error.reason)); continue
                    }
                }
                let key = property.lowercased().replacingOccurrences(of: "_", with: ".")
                kafka[key] = text
                kafkaVariables[key] = name
            } else if name.hasPrefix("SLAWATCH_WORKER_") {
                do throws(SettingRefusal) { try worker.set(name.dropFirst(16).lowercased(), value) } catch {
                    problems.append(environmentProblem(name, error.reason))
                }
            }
        }
        do throws(SettingRefusal) { try worker.validate() } catch { problems.append(root.problem("worker: \(error.reason)")) }
        if (kafka.bootstrapServers ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(root.problem("kafka.bootstrap.servers is required (in the file or as SLAWATCH_KAFKA_BOOTSTRAP_SERVERS)"))
        }
        // An empty secret is a mistake (an empty file, a variable set to nothing), never a password.
        for key in kafka.properties.keys.sorted() where KafkaConfig.isSecret(key) && kafka[key]!.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let reason = "\(key) is empty; give the secret, or leave the property out"
            if let variable = kafkaVariables[key] { problems.append(environmentProblem(variable, reason)) }
            else if let node = kafkaNodes[key] { problems.append(node.problem(reason)) }
            else { problems.append(root.problem("kafka.\(reason)")) }
        }
        kafka.groupId = worker.groupId
        // Each property alone first, so a refusal points at its line or variable; then all
        // together, for what only the combination gets wrong.
        var located = false
        for key in kafka.properties.keys.sorted() where key != "group.id" {
            do throws(KafkaError) { try KafkaConfig([key: kafka[key]!]).validate() } catch {
                located = true
                let reason = "librdkafka refuses it: \(error.message)"
                if let variable = kafkaVariables[key] {
                    problems.append(environmentProblem(variable, reason))
                } else if let node = kafkaNodes[key] {
                    problems.append(node.problem(reason))
                }
            }
        }
        if !located {
            do throws(KafkaError) { try kafka.validate() } catch {
                problems.append(root.problem("kafka: librdkafka refuses the configuration: \(error.message)"))
            }
        }
        return (problems.isEmpty ? SlawatchConfig(kafka: kafka, topics: topics, worker: worker) : nil, problems)
    }
}
