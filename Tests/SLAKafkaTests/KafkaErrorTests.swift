import Testing
@testable import SLAKafka

@Suite struct KafkaErrorTests {
    @Test func carriesLibrdkafkasNameAndMessage() {
        // RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION = 6, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT = 7.
        let e = KafkaError(code: 6, isRetriable: true)
        #expect(e.name == "NOT_LEADER_FOR_PARTITION")
        #expect(e.message.lowercased().contains("leader"))
        #expect(e.description.hasPrefix("NOT_LEADER_FOR_PARTITION (6): ") && e.description.hasSuffix("[retriable]"))
        let custom = KafkaError(code: 7, message: "flush timed out after 5 s", isFatal: true)
        #expect(custom.name == "REQUEST_TIMED_OUT" && custom.description == "REQUEST_TIMED_OUT (7): flush timed out after 5 s [fatal]")
    }

    @Test func reportsTheLinkedLibrary() {
        #expect(Librdkafka.version.hasPrefix("2."))
        #expect(Librdkafka.versionNumber >= 0x0200_0000)
    }
}
