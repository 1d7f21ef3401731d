// `slawatch dev-broker`: a development Kafka cluster on loopback, driven from stdin.

import ArgumentParser
import Foundation
import SLACore
import SLAKafka
import SLAService

/// Runs librdkafka's mock cluster until EOF on stdin, SIGTERM or SIGINT.
struct DevBrokerCommandLine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-broker",
        abstract: "Start a development Kafka cluster on loopback (librdkafka's mock cluster) with fault injection.",
        discussion: """
            Prints the bootstrap servers as the first line of stdout, then reads one command per
            line on stdin and answers each with "ok" or "error: <reason>":

              broker <id> down | broker <id> up
              leader <topic> <partition> <broker>
              coordinator <group> <broker>
              errors <request> <count> <ERROR_NAME>   e.g. errors Produce 3 NOT_LEADER_FOR_PARTITION
              rtt <broker> <milliseconds>
              topic <name> <partitions> [<replication factor>]

            Runs until stdin ends, or SIGTERM / SIGINT.

            Limits (librdkafka's mock cluster): everything is in memory and lost when it stops; no
            log compaction; offsets committed inside a transaction are not stored. Topics are also
            created on first use. It speaks the real Kafka protocol, so kcat and any Kafka client
            can use it: kcat -b <bootstrap servers> -L
            """)

    @Option(help: "Number of brokers (1-16).") var brokers = 3
    @Option(name: .customLong("topic"), help: "Create a topic first: NAME:PARTITIONS[:REPLICATION]. Repeatable.")
    var topics: [String] = []
    @Option(name: .customLong("topics"), help: "Create the topics: section of this configuration file (the format of `topics create --config`; its kafka: section is not used).")
    var topicsFile: String?

    func validate() throws {
        for t in topics {
            let parts = t.split(separator: ":")
            guard (2...3).contains(parts.count), parts.dropFirst().allSatisfy({ Int32($0).map { $0 >= 1 } ?? false }) else {
                throw ValidationError("--topic \(t): expected NAME:PARTITIONS or NAME:PARTITIONS:REPLICATION")
            }
        }
    }

    func run() throws {
        var fromFile: [TopicSpec] = []
        if let topicsFile {
            guard let data = FileManager.default.contents(atPath: topicsFile) else {
                Stderr.write("slawatch: \(topicsFile): cannot read the file (missing or not readable)\n")
                throw ExitCode(1)
            }
            // The dev broker runs on loopback: the file's bootstrap servers are irrelevant here.
            var text = String(decoding: data, as: UTF8.self)
            if !text.contains("bootstrap.servers") { text = "kafka: {bootstrap.servers: unused}\n" + text }
            fromFile = try FileProblemExit.catching { () throws(FileProblem) in try TopicsConfig.parse(text, file: topicsFile).topics }
        }
        let broker: DevBroker
        do {
            broker = try DevBroker(brokers: brokers)
            for t in topics {
                let p = t.split(separator: ":").map(String.init)
                try broker.createTopic(p[0], partitions: Int32(p[1])!, replicationFactor: p.count == 3 ? Int32(p[2])! : 1)
            }
            for t in fromFile { try broker.createTopic(t.name, partitions: t.partitions, replicationFactor: t.replicationFactor) }
        } catch {
            Stderr.write("slawatch dev-broker: \(error)\n")
            throw ExitCode(1)
        }
        Stdout.write(broker.bootstrapServers + "\n")
        var reader = LineReader(fileDescriptor: 0)
        while let bytes = reader.next() {
            let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: [" ", "\t"])
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                try DevBrokerCommand.parse(line).apply(to: broker)
                Stdout.write("ok\n")
            } catch let e as DevBrokerCommandError {
                Stdout.write("error: \(e)\n")
            } catch let e as KafkaError {
                Stdout.write("error: \(e.message)\n")
            } catch {
                Stdout.write("error: \(error)\n")
            }
        }
    }
}
