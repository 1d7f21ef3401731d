// `slawatch topics create --config FILE`: create missing topics, check existing ones.

import ArgumentParser
import Foundation
import SLACore
import SLAKafka
import SLAService

/// Topic administration.
struct TopicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topics", abstract: "Create and check slawatch's Kafka topics.",
                                                    subcommands: [Create.self])

    /// Creates missing topics and checks existing ones, idempotently.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the configured topics that are missing; check the shape of those that exist.",
            discussion: """
                Idempotent: a topic that exists with the configured partitions, replication factor and
                configs is fine. One that differs is an error listing every difference, and then nothing
                is created. The file's kafka: section is passed to librdkafka as it is.
                """)
        @Option(help: "Configuration file (YAML) with kafka: and topics: sections.") var config: String
        @Option(help: "Timeout for each request to the cluster, in milliseconds.") var timeoutMs: Int32 = 10_000

        func run() throws {
            guard let data = FileManager.default.contents(atPath: config) else {
                Stderr.write("slawatch: \(config): cannot read the file (missing or not readable)\n")
                throw ExitCode(1)
            }
            let parsed = try FileProblemExit.catching { () throws(FileProblem) in
                try TopicsConfig.parse(String(decoding: data, as: UTF8.self), file: config)
            }
            do {
                let admin = try KafkaAdmin(config: parsed.kafka)
                for outcome in try admin.ensure(parsed.topics, timeoutMilliseconds: timeoutMs) {
                    switch outcome {
                    case .created(let t): Stdout.write("created \(t)\n")
                    case .unchanged(let t): Stdout.write("ok \(t)\n")
                    case .unchangedConfigsUnchecked(let t): Stdout.write("ok \(t) (configs not checked: the cluster does not describe them)\n")
                    }
                }
            } catch let e as KafkaError {
                Stderr.write("slawatch topics create: \(e.message)\n")
                throw ExitCode(1)
            } catch {
                Stderr.write("slawatch topics create: \(error)\n")
                throw ExitCode(1)
            }
        }
    }
}
