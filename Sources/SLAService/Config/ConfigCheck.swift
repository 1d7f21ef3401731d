// Everything `slawatch run` would refuse at start, found at once: `slawatch check-config`.

import Foundation
import SLACore
import SLAKafka

/// Loads the configuration file, the environment, and the policy and calendar it names,
/// collecting every problem instead of stopping at the first.
public struct ConfigCheck: Sendable {
    /// The configuration, when it has no problem.
    public var config: SlawatchConfig?
    /// The policy in force (the file's, or the built-in one).
    public var policy: Policy?
    /// The calendar in force.
    public var calendar: BusinessCalendar?
    /// Every problem, each naming its file, line and key (or environment variable).
    public var problems: [FileProblem] = []
    /// What is allowed but unwise (a secret file others may read); `run` logs each at start.
    public var warnings: [String] = []

    /// Checks the file at `path` under `environment`.
    public init(path: String, environment: [String: String]) {
        let secrets = SecretSource(environment: environment)
        let text: String
        do throws(SettingRefusal) { text = try secrets.file(path) + "\n" } catch {
            problems = [FileProblem(file: path, line: nil, column: nil, reason: "cannot read the file (missing or not readable)")]
            return
        }
        let (config, configProblems) = SlawatchConfig.check(text, file: path, environment: environment, secrets: secrets)
        problems = configProblems
        warnings = secrets.exposures(except: path)
        // What librdkafka checks only when a client is made (SASL mechanism, security protocol,
        // SSL files): each of the worker's clients is made once, without connecting.
        if let config {
            for (role, kafka, consumer) in [("producer", config.kafka.producerRole, false),
                                            ("consumer", config.kafka.consumerRole, true),
                                            ("changelog reader", config.kafka.readerRole, true)] {
                do throws(KafkaError) { try ClientProbe.create(kafka, consumer: consumer) } catch {
                    problems.append(FileProblem(file: path, line: nil, column: nil, reason: "kafka: librdkafka cannot make the \(role) from this configuration: \(error.message)"))
                    break
                }
            }
        }
        // The policy and calendar the worker would load; their names come from the worker
        // section even when something else in the file is wrong.
        var paths = (policy: config?.worker.policyPath, calendar: config?.worker.calendarPath)
        if config == nil, let root = try? YAMLNode.parse(text, file: path), let worker = try? root.mapping().first(where: { $0.0 == "worker" })?.1 {
            for (k, v) in (try? worker.mapping()) ?? [] {
                if k == "policy" { paths.policy = try? v.string() }
                if k == "calendar" { paths.calendar = try? v.string() }
            }
            paths.policy = environment["SLAWATCH_WORKER_POLICY"] ?? paths.policy
            paths.calendar = environment["SLAWATCH_WORKER_CALENDAR"] ?? paths.calendar
        }
        do throws(FileProblem) { policy = try PolicyFiles.policy(at: paths.policy) } catch { problems.append(error) }
        do throws(FileProblem) { calendar = try PolicyFiles.calendar(at: paths.calendar) } catch { problems.append(error) }
        self.config = problems.isEmpty ? config : nil
    }

    /// A one-paragraph account of a valid configuration (secrets masked).
    public var summary: String {
        guard let c = config, let policy, let calendar else { return "" }
        let w = c.worker
        return """
            kafka: \(c.kafka)
            group \(w.groupId): reads \(w.ticketsTopic), \(w.outagesTopic); state in \(w.ticketChangelog), \(w.outageChangelog); \
            writes \(w.eventsTopic), \(w.escalationsTopic), dead letters to \(w.deadLetterTopic)
            policy \(policy.version) (\(policy.stages.count) stages, \(w.policyPath ?? "built in")); calendar \(calendar.version): \(calendar.coveredYears.sorted().map { calendar.provisionalYears.contains($0) ? "\($0) (provisional)" : String($0) }.joined(separator: ", ")) (\(w.calendarPath ?? "built in"))
            commit every \(w.commitInterval), rollups at most every \(w.rollupInterval), batches of \(w.batchSize), catch-up at most \(w.catchUpRate)/s, shutdown within \(w.shutdownTimeout)
            """
    }
}
