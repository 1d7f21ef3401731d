// The fault-injection commands `slawatch dev-broker` reads on stdin, one per line.

/// One fault-injection command for a ``DevBroker``.
///
/// ```
/// broker <id> down | broker <id> up
/// leader <topic> <partition> <broker>
/// coordinator <group> <broker>
/// errors <request> <count> <ERROR_NAME>      e.g. errors Produce 3 NOT_LEADER_FOR_PARTITION
/// rtt <broker> <milliseconds>
/// topic <name> <partitions> [<replication factor>]
/// ```
public enum DevBrokerCommand: Equatable, Sendable {
    case brokerDown(Int32)
    case brokerUp(Int32)
    case leader(topic: String, partition: Int32, broker: Int32)
    case coordinator(group: String, broker: Int32)
    case errors(apiKey: Int16, count: Int, code: Int32)
    case roundTrip(broker: Int32, milliseconds: Int32)
    case topic(name: String, partitions: Int32, replicationFactor: Int32)

    /// Kafka API keys by request name, for `errors`: the requests librdkafka 2.0.2's mock cluster
    /// serves (it answers no CreateTopics, DescribeConfigs, DescribeGroups or ListGroups).
    public static let apiKeys: [String: Int16] = [
        "Produce": 0, "Fetch": 1, "ListOffsets": 2, "Metadata": 3, "OffsetCommit": 8, "OffsetFetch": 9,
        "FindCoordinator": 10, "JoinGroup": 11, "Heartbeat": 12, "LeaveGroup": 13, "SyncGroup": 14,
        "ApiVersions": 18, "InitProducerId": 22, "AddPartitionsToTxn": 24, "AddOffsetsToTxn": 25,
        "EndTxn": 26, "TxnOffsetCommit": 28,
    ]

    /// The usage text, for errors and `--help`.
    public static let usage = "broker <id> down|up; leader <topic> <partition> <broker>; coordinator <group> <broker>; errors <request> <count> <ERROR_NAME>; rtt <broker> <ms>; topic <name> <partitions> [<replication factor>]"

    /// Parses one line; the error says what is wrong with it.
    public static func parse(_ line: String) throws(DevBrokerCommandError) -> DevBrokerCommand {
        let w = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        func int<T: FixedWidthInteger>(_ s: String, _ what: String) throws(DevBrokerCommandError) -> T {
            guard let v = T(s), v >= 0 else { throw DevBrokerCommandError("\(what) must be a whole number ≥ 0, got \"\(s)\"") }
            return v
        }
        switch (w.first, w.count) {
        case ("broker", 3) where w[2] == "down": return .brokerDown(try int(w[1], "broker id"))
        case ("broker", 3) where w[2] == "up": return .brokerUp(try int(w[1], "broker id"))
        case ("leader", 4): return .leader(topic: w[1], partition: try int(w[2], "partition"), broker: try int(w[3], "broker id"))
        case ("coordinator", 3): return .coordinator(group: w[1], broker: try int(w[2], "broker id"))
        case ("errors", 4):
            guard let key = apiKeys[w[1]] ?? Int16(w[1]) else {
                throw DevBrokerCommandError("unknown request \"\(w[1])\" (one of \(apiKeys.keys.sorted().joined(separator: ", ")), or an API key number)")
            }
            guard let code = KafkaError.code(named: w[3]) else {
                throw DevBrokerCommandError("unknown error name \"\(w[3])\" (librdkafka's names, e.g. NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT)")
            }
            let count: Int = try int(w[2], "count")
            guard count >= 1 else { throw DevBrokerCommandError("count must be at least 1") }
            return .errors(apiKey: key, count: count, code: code)
        case ("rtt", 3): return .roundTrip(broker: try int(w[1], "broker id"), milliseconds: try int(w[2], "milliseconds"))
        case ("topic", 3), ("topic", 4):
            let partitions: Int32 = try int(w[2], "partitions")
            let rf: Int32 = w.count == 4 ? try int(w[3], "replication factor") : 1
            guard partitions >= 1, rf >= 1 else { throw DevBrokerCommandError("partitions and replication factor must be at least 1") }
            return .topic(name: w[1], partitions: partitions, replicationFactor: rf)
        default:
            throw DevBrokerCommandError("not a command: \"\(line)\" (\(usage))")
        }
    }

    /// Carries the command out on a broker.
    public func apply(to broker: DevBroker) throws(KafkaError) {
        switch self {
        case .brokerDown(let id): try broker.setBrokerDown(id)
        case .brokerUp(let id): try broker.setBrokerUp(id)
        case .leader(let topic, let partition, let b): try broker.setLeader(topic: topic, partition: partition, broker: b)
        case .coordinator(let group, let b): try broker.setGroupCoordinator(group: group, broker: b)
        case .errors(let key, let count, let code): broker.injectErrors(apiKey: key, count: count, errorCode: code)
        case .roundTrip(let b, let ms): try broker.setRoundTrip(broker: b, milliseconds: ms)
        case .topic(let name, let partitions, let rf): try broker.createTopic(name, partitions: partitions, replicationFactor: rf)
        }
    }
}

/// Why a fault-injection line was not understood.
public struct DevBrokerCommandError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
