// `slawatch version`.

import ArgumentParser
import SLAKafka

/// Prints the slawatch and librdkafka versions.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the slawatch and librdkafka versions.")

    /// The version of this build.
    static let slawatchVersion = "0.1.0"

    func run() {
        print("slawatch \(Self.slawatchVersion) (librdkafka \(Librdkafka.version))")
    }
}
