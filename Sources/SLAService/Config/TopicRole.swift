// The worker's topics by role: the one table the settings, the start-up check, the worker's
// subscriptions and its producer read (the list was written out in each before).

/// A topic the worker uses, named by its configuration key (`worker.<key>`).
public enum TopicRole: String, CaseIterable, Sendable {
    case tickets = "tickets_topic"
    case outages = "outages_topic"
    case ticketChangelog = "ticket_changelog"
    case outageChangelog = "outage_changelog"
    case events = "events_topic"
    case escalations = "escalations_topic"
    case deadLetters = "dead_letter_topic"
    case outcomes = "outcomes_topic"
    case rollupChangelog = "rollup_changelog"
    case rollups = "rollups_topic"

    /// The key in the `worker` section.
    public var key: String { rawValue }

    /// The setting that names it.
    var setting: WritableKeyPath<WorkerSettings, String> {
        switch self {
        case .tickets: \.ticketsTopic
        case .outages: \.outagesTopic
        case .ticketChangelog: \.ticketChangelog
        case .outageChangelog: \.outageChangelog
        case .events: \.eventsTopic
        case .escalations: \.escalationsTopic
        case .deadLetters: \.deadLetterTopic
        case .outcomes: \.outcomesTopic
        case .rollupChangelog: \.rollupChangelog
        case .rollups: \.rollupsTopic
        }
    }

    /// Read by the consumer group: partitions assigned, restored and checkpointed (the
    /// outcomes are the input of the second stage, the rollups).
    public var isGroupInput: Bool { self == .tickets || self == .outages || self == .outcomes }

    /// Written by the worker's producer.
    public var isProduced: Bool { self != .tickets && self != .outages }

    /// For a changelog, the input whose partitions it restores: co-partitioned with it.
    public var restores: TopicRole? {
        switch self {
        case .ticketChangelog: .tickets
        case .outageChangelog: .outages
        case .rollupChangelog: .outcomes
        default: nil
        }
    }
}

extension WorkerSettings {
    /// The topic named for a role.
    public subscript(role: TopicRole) -> String {
        get { self[keyPath: role.setting] }
        set { self[keyPath: role.setting] = newValue }
    }

    /// The topics of the roles that satisfy `include`, in the table's order.
    public func topics(where include: (TopicRole) -> Bool = { _ in true }) -> [String] {
        TopicRole.allCases.filter(include).map { self[$0] }
    }
}
