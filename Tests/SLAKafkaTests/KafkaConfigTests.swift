import Testing
@testable import SLAKafka

@Suite struct KafkaConfigTests {
    private func refusal(_ props: [String: String]) -> String? {
        do { let c = try KafkaConfig(props).makeNative(); rd_destroy(c); return nil } catch { return error.message }
    }

    @Test func passesAnyPropertyThrough() {
        #expect(refusal(["bootstrap.servers": "127.0.0.1:9092", "security.protocol": "SASL_SSL", "sasl.mechanisms": "SCRAM-SHA-512",
                         "sasl.username": "slawatch", "sasl.password": "s3cret", "enable.idempotence": "true"]) == nil)
    }

    @Test func refusesWithLibrdkafkasOwnMessage() {
        #expect(refusal(["bootstrap.servers.x": "a"]) == #"No such configuration property: "bootstrap.servers.x""#)
        #expect(refusal(["security.protocol": "bogus"])?.hasPrefix(#"Invalid value "bogus" for configuration property "security.protocol""#) == true)
        #expect(refusal(["enable.idempotence": "perhaps"])?.contains("enable.idempotence") == true)
    }

    @Test func neverShowsSecrets() {
        let c = KafkaConfig(["sasl.username": "slawatch", "sasl.password": "s3cret", "ssl.key.password": "k3y", "my.custom.secret": "x"])
        #expect(c.description == "my.custom.secret=***, sasl.password=***, sasl.username=slawatch, ssl.key.password=***")
        #expect(!c.description.contains("s3cret"))
    }
}
