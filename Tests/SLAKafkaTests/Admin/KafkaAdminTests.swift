import Testing
@testable import SLAKafka

@Suite struct KafkaAdminTests {
    @Test func checksExistingTopicsAndListsEveryDifference() throws {
        let broker = try DevBroker(brokers: 3)
        try broker.createTopic("95598.tickets", partitions: 6, replicationFactor: 3)
        try broker.createTopic("95598.tickets.changelog", partitions: 6, replicationFactor: 3)
        let admin = try KafkaAdmin(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        let topics = try admin.describeTopics(timeoutMilliseconds: 5_000)
        #expect(topics["95598.tickets"]?.partitions == 6 && topics["95598.tickets"]?.replicationFactor == 3)
        // Same shape: nothing to do, twice over.
        let same = [TopicSpec(name: "95598.tickets", partitions: 6, replicationFactor: 3)]
        #expect(try admin.ensure(same, timeoutMilliseconds: 5_000) == [.unchanged("95598.tickets")])
        #expect(try admin.ensure(same, timeoutMilliseconds: 5_000) == [.unchanged("95598.tickets")])
        // Wrong shape: every difference named, nothing changed.
        do {
            _ = try admin.ensure([TopicSpec(name: "95598.tickets", partitions: 12, replicationFactor: 3),
                                  TopicSpec(name: "95598.tickets.changelog", partitions: 6, replicationFactor: 2)], timeoutMilliseconds: 5_000)
            Issue.record("accepted a wrong shape")
        } catch let e as TopicShapeMismatch {
            #expect(e.differences == ["95598.tickets: 6 partitions, expected 12", "95598.tickets.changelog: replication factor 3, expected 2"])
        }
    }

    @Test func saysWhatTheDevelopmentBrokerCannotDo() throws {
        let broker = try DevBroker(brokers: 1)
        try broker.createTopic("c", partitions: 2)
        let admin = try KafkaAdmin(config: KafkaConfig(["bootstrap.servers": broker.bootstrapServers]))
        // librdkafka 2.0.2's mock cluster answers neither DescribeConfigs nor CreateTopics:
        // both end in a timeout that names the request, never in a silent success.
        do {
            _ = try admin.ensure([TopicSpec(name: "c", partitions: 2, replicationFactor: 1, configs: ["cleanup.policy": "compact"])],
                                 timeoutMilliseconds: 1_000)
            Issue.record("configs were read from the mock")
        } catch {
            #expect("\(error)".contains("DescribeConfigs"))
        }
        do {
            try admin.createTopics([TopicSpec(name: "new", partitions: 3, replicationFactor: 1)], timeoutMilliseconds: 1_000)
            Issue.record("the mock created a topic")
        } catch {
            #expect(error.message.contains("CreateTopics") || error.message.contains("create topic new"), "\(error)")
        }
    }
}
