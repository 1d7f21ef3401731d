import Foundation
import Testing

/// `slawatch dev-broker`'s commands, a broker down and up among them: runs alone, after the
/// other suites (see KafkaProducerWithBrokerDownTests for why).
@Suite(.serialized) struct DevBrokerCommandLineWithBrokerDownTests {
    @Test func printsBootstrapThenAnswersEachCommandAndStopsAtEOF() throws {
        let r = try CLI.run(["dev-broker", "--brokers", "2", "--topic", "95598.tickets:6"],
                            stdin: Data("broker 1 down\nbroker 1 up\n\n# a comment\nbroker 5 up\nleader 95598.tickets 0 2\nbogus\n".utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: ",").count == 2)
        #expect(lines.first?.hasPrefix("127.0.0.1:") == true)
        #expect(Array(lines.dropFirst()) == [
            "ok", "ok", "error: no broker 5; this cluster has brokers 1…2", "ok",
            #"error: not a command: "bogus" (broker <id> down|up; leader <topic> <partition> <broker>; coordinator <group> <broker>; errors <request> <count> <ERROR_NAME>; rtt <broker> <ms>; topic <name> <partitions> [<replication factor>])"#,
        ])
    }
}

@Suite struct DevBrokerCommandLineTests {
    @Test func refusesBadOptions() throws {
        let topic = try CLI.run(["dev-broker", "--topic", "x"])
        #expect(topic.status != 0 && topic.stderr.contains("--topic x: expected NAME:PARTITIONS"))
        let brokers = try CLI.run(["dev-broker", "--brokers", "40"])
        #expect(brokers.status == 1 && brokers.stderr.contains("a development cluster has 1 to 16 brokers, not 40"))
    }
}

@Suite struct DevBrokerTopicsFileTests {
    @Test func createsTheTopicsOfAConfigurationFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-devtopics-\(UUID()).yaml")
        try "topics:\n  - {name: 95598.tickets, partitions: 6, replication_factor: 3}\n  - {name: 95598.outages, partitions: 1, replication_factor: 3}\n"
            .write(to: url, atomically: true, encoding: .utf8)
        // Keep the broker running (stdin open) while kcat asks it for its topics.
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["dev-broker", "--topics", url.path]
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output
        try p.run()
        var firstLine = Data()
        while !firstLine.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            firstLine.append(chunk)
        }
        let bootstrap = String(decoding: firstLine.prefix { $0 != 0x0A }, as: UTF8.self)
        let kcat = Process()
        kcat.executableURL = URL(fileURLWithPath: "/usr/bin/kcat")
        kcat.arguments = ["-b", bootstrap, "-L"]
        let meta = Pipe()
        kcat.standardOutput = meta
        try kcat.run()
        let listing = String(decoding: meta.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        kcat.waitUntilExit()
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(listing.contains(#"topic "95598.tickets" with 6 partitions"#), "\(listing)")
        #expect(listing.contains(#"topic "95598.outages" with 1 partitions"#))
        let bad = try CLI.run(["dev-broker", "--topics", "/nonexistent.yaml"])
        #expect(bad.status == 1 && bad.stderr.contains("cannot read the file"))
    }
}
