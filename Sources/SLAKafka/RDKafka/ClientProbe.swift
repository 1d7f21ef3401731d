// Creating a client handle to learn whether librdkafka accepts a configuration, without a broker.

import CRdKafka

/// Runs the checks librdkafka makes only when a client is created (`sasl.mechanisms`,
/// `security.protocol` against the build's features, SSL files, the SASL plugin's own
/// settings), so `slawatch check-config` refuses what `slawatch run` would.
public enum ClientProbe {
    /// Creates and destroys a producer (or, with `consumer`, a consumer) from `config`.
    /// `bootstrap.servers` is left out, so nothing connects; librdkafka's logs are silenced.
    public static func create(_ config: KafkaConfig, consumer: Bool) throws(KafkaError) {
        var probe = config
        probe["bootstrap.servers"] = nil
        probe["log_level"] = "0"
        let rk = try NativeClient.make(consumer ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER, probe, context: nil)
        rd_kafka_destroy(rk)
    }
}
