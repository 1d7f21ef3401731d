// `slawatch check-config FILE`: every problem `slawatch run` would refuse to start on, at once.

import ArgumentParser
import Foundation
import SLAService

/// Validates a configuration file with the environment applied.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a configuration file as `slawatch run` would, printing every problem with its key.",
        discussion: """
            Checks the YAML, every worker key (unknown keys, durations, numbers, topic names), the
            kafka: properties with librdkafka itself, secrets given as files or systemd credentials,
            the SLAWATCH_* environment overrides, and the policy and calendar files it names; makes
            each of the worker's librdkafka clients once (SASL mechanism, security protocol, SSL
            files) without connecting to Kafka; warns about secret files other users may read. Exit status 0 and a summary when all is well; 1 and one
            line per problem otherwise.
            """)

    @Argument(help: "Configuration file (YAML).") var file: String

    func run() throws {
        let check = ConfigCheck(path: file, environment: ProcessInfo.processInfo.environment)
        guard check.problems.isEmpty else {
            for p in check.problems { Stderr.write("\(p)\n") }
            Stderr.write("slawatch: \(file): \(check.problems.count) problem\(check.problems.count == 1 ? "" : "s")\n")
            throw ExitCode(1)
        }
        for w in check.warnings { Stderr.write("warning: \(w)\n") }
        Stdout.write("ok: \(file)\n" + check.summary + "\n")
    }
}
