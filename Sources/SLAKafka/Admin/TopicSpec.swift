// The shape a topic should have: partitions, replication, configs.

/// A topic as slawatch needs it.
public struct TopicSpec: Sendable, Equatable {
    /// Topic name.
    public var name: String
    /// Partition count.
    public var partitions: Int32
    /// Replication factor.
    public var replicationFactor: Int32
    /// Topic configs, e.g. `cleanup.policy=compact` for changelogs and rollups.
    public var configs: [String: String]

    /// A topic spec.
    public init(name: String, partitions: Int32, replicationFactor: Int32, configs: [String: String] = [:]) {
        self.name = name; self.partitions = partitions; self.replicationFactor = replicationFactor; self.configs = configs
    }
}

/// What ``KafkaAdmin/ensure(_:timeoutMilliseconds:)`` found or did for one topic.
public enum TopicOutcome: Sendable, Equatable {
    /// It was missing and was created.
    case created(String)
    /// It exists with the right shape.
    case unchanged(String)
    /// It exists with the right partitions and replication; its configs could not be read
    /// (the broker does not answer DescribeConfigs), so they were not checked.
    case unchangedConfigsUnchecked(String)
}

/// A topic that exists with another shape than asked; nothing is changed.
public struct TopicShapeMismatch: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line per difference, e.g. `95598.tickets: 6 partitions, expected 12`.
    public var differences: [String]
    public var description: String {
        "existing topics differ from the configuration (nothing was changed):\n" + differences.map { "  " + $0 }.joined(separator: "\n")
    }
}
