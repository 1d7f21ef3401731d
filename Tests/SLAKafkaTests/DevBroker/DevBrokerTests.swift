import Foundation
import Testing
@testable import SLAKafka

@Suite struct DevBrokerTests {
    @Test func startsAClusterThatKcatCanUse() throws {
        let broker = try DevBroker(brokers: 3)
        let addresses = broker.bootstrapServers.split(separator: ",")
        #expect(addresses.count == 3 && addresses.allSatisfy { $0.hasPrefix("127.0.0.1:") })
        try broker.createTopic("95598.tickets", partitions: 6)
        let meta = try Kcat.run(["-b", broker.bootstrapServers, "-L", "-t", "95598.tickets"])
        #expect(meta.status == 0, "\(meta.err)")
        #expect(meta.out.contains("3 brokers"))
        #expect(meta.out.contains(#"topic "95598.tickets" with 6 partitions"#))
        // A round trip through the real protocol: kcat produces keyed records, kcat reads them back.
        let produced = try Kcat.run(["-b", broker.bootstrapServers, "-P", "-t", "95598.tickets", "-K", ":"], input: "T1:one\nT2:two\nT1:three\n")
        #expect(produced.status == 0, "\(produced.err)")
        let consumed = try Kcat.run(["-b", broker.bootstrapServers, "-C", "-t", "95598.tickets", "-o", "beginning", "-e", "-q", "-f", "%k=%s\n"])
        #expect(consumed.status == 0, "\(consumed.err)")
        #expect(Set(consumed.out.split(separator: "\n")) == ["T1=one", "T2=two", "T1=three"])
    }

    @Test func injectsFaults() throws {
        let broker = try DevBroker(brokers: 3)
        try broker.createTopic("t", partitions: 2)
        try broker.setLeader(topic: "t", partition: 0, broker: 3)
        let meta = try Kcat.run(["-b", broker.bootstrapServers, "-L", "-t", "t"])
        #expect(meta.out.contains("partition 0, leader 3"))
        try broker.setRoundTrip(broker: 1, milliseconds: 20)
        try broker.setGroupCoordinator(group: "g", broker: 3)
        #expect(throws: KafkaError.self) { try broker.setGroupCoordinator(group: "g", broker: 4) }
        broker.injectErrors(apiKey: 0, count: 2, errorCode: KafkaError.code(named: "NOT_LEADER_FOR_PARTITION")!)
        // An unknown broker is refused before the mock cluster is asked (DevBrokerWithBrokerDownTests takes real ones down).
        #expect(throws: KafkaError.self) { try broker.setBrokerDown(9) }
        do { try broker.setBrokerDown(9) } catch { #expect(error.message == "no broker 9; this cluster has brokers 1…3") }
        #expect(throws: KafkaError.self) { try DevBroker(brokers: 0) }
    }

    @Test(arguments: [
        ("broker 2 down", DevBrokerCommand.brokerDown(2)),
        ("broker 2 up", .brokerUp(2)),
        ("leader 95598.tickets 3 1", .leader(topic: "95598.tickets", partition: 3, broker: 1)),
        ("errors Produce 3 NOT_LEADER_FOR_PARTITION", .errors(apiKey: 0, count: 3, code: 6)),
        ("errors 3 1 REQUEST_TIMED_OUT", .errors(apiKey: 3, count: 1, code: 7)),
        ("coordinator chaos 1", .coordinator(group: "chaos", broker: 1)),
        ("rtt 1 250", .roundTrip(broker: 1, milliseconds: 250)),
        ("topic x 6", .topic(name: "x", partitions: 6, replicationFactor: 1)),
        ("  topic\tx 6 3 ", .topic(name: "x", partitions: 6, replicationFactor: 3)),
    ])
    func parsesCommands(line: String, expected: DevBrokerCommand) throws {
        #expect(try DevBrokerCommand.parse(line) == expected)
    }

    @Test(arguments: [
        ("broker two down", #"broker id must be a whole number ≥ 0, got "two""#),
        ("errors Fetsh 1 X", #"unknown request "Fetsh""#),
        ("errors Produce 1 NOT_AN_ERROR", #"unknown error name "NOT_AN_ERROR""#),
        ("errors Produce 0 REQUEST_TIMED_OUT", "count must be at least 1"),
        ("topic x 0", "partitions and replication factor must be at least 1"),
        ("reboot", #"not a command: "reboot""#),
    ])
    func refusesBadCommands(line: String, message: String) {
        do { _ = try DevBrokerCommand.parse(line); Issue.record("accepted") } catch { #expect(error.message.hasPrefix(message), "\(error.message)") }
    }
}
