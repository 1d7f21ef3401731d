import Foundation
import Testing
@testable import SLAKafka

/// Taking a development broker down and up. Runs alone, after the other suites (see
/// KafkaProducerWithBrokerDownTests for why every `…WithBrokerDownTests` suite does).
@Suite(.serialized) struct DevBrokerWithBrokerDownTests {
    @Test func takesABrokerDownAndBringsItBack() throws {
        let broker = try DevBroker(brokers: 3)
        try broker.createTopic("t", partitions: 1)
        try broker.setLeader(topic: "t", partition: 0, broker: 2)
        try broker.setBrokerDown(2)
        // The partition's leader is down: nothing can be produced to it within the timeout.
        let refused = try Kcat.run(["-b", broker.bootstrapServers, "-P", "-t", "t", "-X", "message.timeout.ms=1500"], input: "while-down\n")
        #expect(refused.status != 0 || refused.err.contains("Message timed out"), "\(refused.err)")
        try broker.setBrokerUp(2)
        let produced = try Kcat.run(["-b", broker.bootstrapServers, "-P", "-t", "t"], input: "after-up\n")
        #expect(produced.status == 0, "\(produced.err)")
        #expect(try Kcat.consumeAll(broker, "t", format: "%s\n") == ["after-up"])
    }
}
