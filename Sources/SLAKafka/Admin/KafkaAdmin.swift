// Topic administration: describe topics, create missing ones, refuse a wrong shape.

import CRdKafka

/// Creates and checks topics.
public final class KafkaAdmin: @unchecked Sendable {
    // @unchecked: librdkafka's rd_kafka_t is thread-safe.
    private let handle: OpaquePointer
    private let context = ClientContext(statistics: nil)

    /// An admin client with `config` (`bootstrap.servers` at least, plus security settings).
    public init(config: KafkaConfig) throws(KafkaError) {
        handle = try NativeClient.make(RD_KAFKA_PRODUCER, config, context: context)
    }

    deinit { rd_kafka_destroy(handle) }

    /// Partition count and replication factor of every existing topic, from cluster metadata.
    public func describeTopics(timeoutMilliseconds: Int32) throws(KafkaError) -> [String: (partitions: Int32, replicationFactor: Int32)] {
        var md: UnsafePointer<rd_kafka_metadata>?
        try KafkaError.check(rd_kafka_metadata(handle, 1, nil, &md, timeoutMilliseconds), "metadata")
        defer { if let md { rd_kafka_metadata_destroy(md) } }
        var out: [String: (partitions: Int32, replicationFactor: Int32)] = [:]
        guard let m = md?.pointee, let topics = m.topics else { return out }
        for k in 0..<Int(m.topic_cnt) {
            let t = topics[k]
            guard t.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            let rf = t.partition_cnt > 0 ? t.partitions[0].replica_cnt : 0
            out[String(cString: t.topic)] = (t.partition_cnt, rf)
        }
        return out
    }

    /// Creates topics (CreateTopics). A topic that already exists is not an error.
    public func createTopics(_ specs: [TopicSpec], timeoutMilliseconds: Int32) throws(KafkaError) {
        guard !specs.isEmpty else { return }
        var errstr = ErrorBuffer()
        var newTopics: [OpaquePointer?] = []
        defer { rd_kafka_NewTopic_destroy_array(&newTopics, newTopics.count) }
        for s in specs {
            guard let nt = rd_kafka_NewTopic_new(s.name, s.partitions, s.replicationFactor, &errstr.bytes, errstr.bytes.count) else {
                throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: "\(s.name): \(errstr.text)")
            }
            newTopics.append(nt)
            for (k, v) in s.configs.sorted(by: { $0.key < $1.key }) {
                try KafkaError.check(rd_kafka_NewTopic_set_config(nt, k, v), "\(s.name): config \(k)")
            }
        }
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMilliseconds, &errstr.bytes, errstr.bytes.count)
        rd_kafka_CreateTopics(handle, &newTopics, newTopics.count, options, queue)
        guard let event = rd_kafka_queue_poll(queue, timeoutMilliseconds + 1_000) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, message: "CreateTopics: no answer in \(timeoutMilliseconds) ms")
        }
        defer { rd_kafka_event_destroy(event) }
        try KafkaError.check(rd_kafka_event_error(event), "CreateTopics")
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return }
        var n = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &n) else { return }
        for k in 0..<n {
            let r = results[k]
            let err = rd_kafka_topic_result_error(r)
            guard err != RD_KAFKA_RESP_ERR_NO_ERROR, err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS else { continue }
            let name = String(cString: rd_kafka_topic_result_name(r))
            let why = rd_kafka_topic_result_error_string(r).map { String(cString: $0) } ?? KafkaError(code: err.rawValue).message
            throw KafkaError(code: err.rawValue, message: "create topic \(name): \(why)")
        }
    }

    /// A topic's configs (DescribeConfigs), or nil when the broker does not answer that request.
    public func describeConfigs(topic: String, timeoutMilliseconds: Int32) throws(KafkaError) -> [String: String]? {
        let resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic)
        var resources: [OpaquePointer?] = [resource]
        defer { rd_kafka_ConfigResource_destroy_array(&resources, resources.count) }
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        rd_kafka_DescribeConfigs(handle, &resources, 1, nil, queue)
        guard let event = rd_kafka_queue_poll(queue, timeoutMilliseconds) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, message: "DescribeConfigs: no answer in \(timeoutMilliseconds) ms")
        }
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        if err == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE || err == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION { return nil }
        try KafkaError.check(err, "DescribeConfigs \(topic)")
        guard let result = rd_kafka_event_DescribeConfigs_result(event) else { return nil }
        var n = 0
        guard let described = rd_kafka_DescribeConfigs_result_resources(result, &n), n > 0, let r = described[0] else { return nil }
        try KafkaError.check(rd_kafka_ConfigResource_error(r), "DescribeConfigs \(topic)")
        var count = 0
        var out: [String: String] = [:]
        if let entries = rd_kafka_ConfigResource_configs(r, &count) {
            for k in 0..<count {
                guard let e = entries[k], let name = rd_kafka_ConfigEntry_name(e) else { continue }
                out[String(cString: name)] = rd_kafka_ConfigEntry_value(e).map { String(cString: $0) } ?? ""
            }
        }
        return out
    }

    /// Makes the topics exist with the given shape, idempotently: missing ones are created;
    /// existing ones with the right partitions, replication and configs are left alone; if any
    /// existing topic differs, nothing is created and the error lists every difference.
    public func ensure(_ specs: [TopicSpec], timeoutMilliseconds: Int32) throws -> [TopicOutcome] {
        let existing = try describeTopics(timeoutMilliseconds: timeoutMilliseconds)
        var differences: [String] = []
        var outcomes: [TopicOutcome] = []
        var missing: [TopicSpec] = []
        for s in specs {
            guard let have = existing[s.name] else { missing.append(s); continue }
            if have.partitions != s.partitions { differences.append("\(s.name): \(have.partitions) partitions, expected \(s.partitions)") }
            if have.replicationFactor != s.replicationFactor {
                differences.append("\(s.name): replication factor \(have.replicationFactor), expected \(s.replicationFactor)")
            }
            guard !s.configs.isEmpty else { outcomes.append(.unchanged(s.name)); continue }
            guard let configs = try describeConfigs(topic: s.name, timeoutMilliseconds: timeoutMilliseconds) else {
                outcomes.append(.unchangedConfigsUnchecked(s.name)); continue
            }
            for (k, v) in s.configs.sorted(by: { $0.key < $1.key }) where configs[k] != v {
                differences.append("\(s.name): \(k)=\(configs[k] ?? "(unset)"), expected \(v)")
            }
            outcomes.append(.unchanged(s.name))
        }
        guard differences.isEmpty else { throw TopicShapeMismatch(differences: differences) }
        try createTopics(missing, timeoutMilliseconds: timeoutMilliseconds)
        return outcomes + missing.map { .created($0.name) }
    }
}
