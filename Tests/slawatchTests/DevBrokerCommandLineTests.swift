import Foundation
import Testing

@Suite struct DevBrokerCommandLineTests {
    @Test func printsBootstrapThenAnswersEachCommandAndStopsAtEOF() throws {
        let r = try CLI.run(["dev-broker", "--brokers", "2", "--topic", "95598.tickets:6"],
                            stdin: Data("broker 1 down\nbroker 1 up\n\n# a comment\nbroker 5 up\nleader 95598.tickets 0 2\nbogus\n".utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: ",").count == 2)
        #expect(lines.first?.hasPrefix("127.0.0.1:") == true)
        #expect(Array(lines.dropFirst()) == [
            "ok", "ok", "error: no broker 5; this cluster has brokers 1…2", "ok",
            #"error: not a command: "bogus" (broker <id> down|up; leader <topic> <partition> <broker>; errors <request> <count> <ERROR_NAME>; rtt <broker> <ms>; topic <name> <partitions> [<replication factor>])"#,
        ])
    }

    @Test func refusesBadOptions() throws {
        let topic = try CLI.run(["dev-broker", "--topic", "x"])
        #expect(topic.status != 0 && topic.stderr.contains("--topic x: expected NAME:PARTITIONS"))
        let brokers = try CLI.run(["dev-broker", "--brokers", "40"])
        #expect(brokers.status == 1 && brokers.stderr.contains("a development cluster has 1 to 16 brokers, not 40"))
    }
}
