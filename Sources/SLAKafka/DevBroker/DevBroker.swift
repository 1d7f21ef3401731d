// The development broker: librdkafka's in-memory mock cluster on loopback, with fault injection.

import CRdKafka

/// A Kafka cluster for development and tests: librdkafka's mock cluster, speaking the real
/// Kafka protocol on loopback, with consumer groups and fault injection.
///
/// Its limits (librdkafka's): everything is in memory and gone when it stops; no log
/// compaction; offsets committed inside a transaction are not stored. Topics are created on
/// first use (or with ``createTopic(_:partitions:replicationFactor:)``).
public final class DevBroker: @unchecked Sendable {
    // @unchecked: the mock-cluster calls only post operations to the cluster's own thread
    // (librdkafka documents them as callable from any thread); the handles never change.
    private let host: OpaquePointer
    private let cluster: OpaquePointer
    /// The broker ids, 1…n.
    public let brokerIds: ClosedRange<Int32>
    /// `host:port,host:port,…` for clients' `bootstrap.servers`.
    public let bootstrapServers: String

    /// Starts a cluster of `brokers` brokers on loopback.
    public init(brokers: Int = 3) throws(KafkaError) {
        guard (1...16).contains(brokers) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: "a development cluster has 1 to 16 brokers, not \(brokers)")
        }
        // The cluster lives inside a client handle; a producer handle that never produces hosts it.
        let rk = try NativeClient.make(RD_KAFKA_PRODUCER, KafkaConfig(["log_level": "3"]), context: nil) {
            rd_kafka_conf_set_log_cb($0, devBrokerLog)
        }
        guard let mc = rd_kafka_mock_cluster_new(rk, Int32(brokers)) else {
            rd_kafka_destroy(rk)
            throw KafkaError(code: RD_KAFKA_RESP_ERR__FAIL.rawValue, message: "the mock cluster did not start")
        }
        host = rk
        cluster = mc
        brokerIds = 1...Int32(brokers)
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(mc))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(host)
    }

    /// Creates a topic.
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws(KafkaError) {
        try KafkaError.check(rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor), "create topic \(name)")
    }

    /// Takes a broker down (its connections drop, it accepts none).
    public func setBrokerDown(_ id: Int32) throws(KafkaError) {
        try checkBroker(id)
        try KafkaError.check(rd_kafka_mock_broker_set_down(cluster, id), "broker \(id) down")
    }

    /// Brings a broker back up.
    public func setBrokerUp(_ id: Int32) throws(KafkaError) {
        try checkBroker(id)
        try KafkaError.check(rd_kafka_mock_broker_set_up(cluster, id), "broker \(id) up")
    }

    /// Moves a partition's leadership to a broker.
    public func setLeader(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try checkBroker(broker)
        try KafkaError.check(rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker),
                             "leader of \(topic)[\(partition)]")
    }

    /// Makes `broker` the coordinator of consumer group `group` (otherwise a hash of the name
    /// picks one). The chaos harness pins its group's coordinator to a broker it never takes
    /// down: librdkafka 2.0.2's mock cluster can abort when a group's coordinator goes down
    /// during a rebalance (docs/RELIABILITY.md).
    public func setGroupCoordinator(group: String, broker: Int32) throws(KafkaError) {
        try checkBroker(broker)
        try KafkaError.check(rd_kafka_mock_coordinator_set(cluster, "group", group, broker), "coordinator of group \(group)")
    }

    /// Adds round-trip time to every request a broker answers.
    public func setRoundTrip(broker: Int32, milliseconds: Int32) throws(KafkaError) {
        try checkBroker(broker)
        try KafkaError.check(rd_kafka_mock_broker_set_rtt(cluster, broker, milliseconds), "rtt of broker \(broker)")
    }

    /// Makes the next `count` requests of a type (Kafka API key, e.g. 0 = Produce) fail with `errorCode`.
    public func injectErrors(apiKey: Int16, count: Int, errorCode: Int32) {
        var errors = [rd_kafka_resp_err_t](repeating: rd_kafka_resp_err_t(rawValue: errorCode), count: count)
        rd_kafka_mock_push_request_errors_array(cluster, apiKey, errors.count, &errors)
    }

    private func checkBroker(_ id: Int32) throws(KafkaError) {
        guard brokerIds.contains(id) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue,
                             message: "no broker \(id); this cluster has brokers \(brokerIds.lowerBound)…\(brokerIds.upperBound)")
        }
    }
}

/// The mock cluster's host logs errors only, into the same logger as every client.
private func devBrokerLog(_ rk: OpaquePointer?, _ level: Int32, _ facility: UnsafePointer<CChar>?, _ buf: UnsafePointer<CChar>?) {
    KafkaLog.logger.log(level: KafkaLog.level(syslog: level), "dev broker: \(buf.map { String(cString: $0) } ?? "")")
}
