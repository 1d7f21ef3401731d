// The `worker:` section of slawatch's configuration file: topics, group, files and pacing.

import Foundation
import SLACore

/// How a worker runs: which topics it reads and writes, its consumer group, the policy and
/// calendar it enforces, and how often it commits.
///
/// ```yaml
/// worker:
///   group_id: slawatch
///   tickets_topic: 95598.tickets
///   outages_topic: 95598.outages
///   ticket_changelog: slawatch.tickets.changelog   # compacted, as many partitions as tickets_topic
///   outage_changelog: slawatch.outages.changelog   # compacted, as many partitions as outages_topic
///   events_topic: 95598.sla.events                 # sla.started, sla.met, sla.missed …
///   escalations_topic: 95598.sla.escalations       # sla.warning, sla.overdue, sla.escalated
///   dead_letter_topic: 95598.dead-letter
///   outcomes_topic: slawatch.outcomes              # met / missed / overdue / … once keyed by unit, once by agent
///   rollup_changelog: slawatch.rollups.changelog   # compacted, as many partitions as outcomes_topic
///   rollups_topic: slawatch.rollups                # compacted: rollup cells and monthly scorecards (upserts)
///   rollup_retention: 40d                          # how late an outcome may still correct its windows
///   postgres_url: ""                               # e.g. postgres://slawatch@db:5432/slawatch: the rollups sink; "" = none
///   policy: /etc/slawatch/policy.yaml              # optional: the built-in policy otherwise
///   calendar: /etc/slawatch/calendar.yaml          # optional: the built-in calendar otherwise
///   calendar_warn_days: 60                         # warn daily while the calendar covers fewer days ahead
///   commit_interval: 1s
///   rollup_interval: 1s                            # the rollup stage publishes at most this often (at a checkpoint)
///   batch_size: 1000
///   catch_up_rate: 500                             # timer firings per second at most
///   owners: 0                                      # owner queues, each with a group of the partitions; 0 = one per core
///   max_history: 500                               # events kept per ticket or outage; past it the subject is refused
///   shutdown_timeout: 30s
///   http_listen: 127.0.0.1:9464                    # /metrics, /healthz, /readyz; "" turns it off
/// ```
/// Every key has the default shown. `SLAWATCH_WORKER_<KEY>` (e.g. `SLAWATCH_WORKER_GROUP_ID`)
/// overrides a key from the environment.
public struct WorkerSettings: Sendable, Equatable {
    public var groupId = "slawatch"
    public var ticketsTopic = "95598.tickets"
    public var outagesTopic = "95598.outages"
    public var ticketChangelog = "slawatch.tickets.changelog"
    public var outageChangelog = "slawatch.outages.changelog"
    public var eventsTopic = "95598.sla.events"
    public var escalationsTopic = "95598.sla.escalations"
    public var deadLetterTopic = "95598.dead-letter"
    /// Assessment outcomes (stage ends, links, callbacks), keyed by unit: the rollups' input.
    public var outcomesTopic = "slawatch.outcomes"
    /// State of the rollup stage, co-partitioned with ``outcomesTopic``.
    public var rollupChangelog = "slawatch.rollups.changelog"
    /// Rollup cells and scorecards, keyed by their dimensions (compacted: the latest revision wins).
    public var rollupsTopic = "slawatch.rollups"
    /// How long (event time, against the wall clock) outcomes are remembered and windows kept open for corrections.
    public var rollupRetention = TimeSpan.days(40)
    /// PostgreSQL connection URL of the rollups sink; nil: no sink.
    public var postgresURL: String?
    /// Policy file; nil for the built-in one.
    public var policyPath: String?
    /// Calendar file; nil for the built-in one.
    public var calendarPath: String?
    /// A warning is logged once a day while the calendar covers fewer days than this ahead.
    public var calendarWarnDays = 60
    /// How often processed input offsets are committed (after outputs and changelog are delivered).
    public var commitInterval = TimeSpan.seconds(1)
    /// How often at most the rollup stage takes a partition's changes — publishes its changed
    /// cells and scorecards and writes its state set —, at the first checkpoint this long after
    /// its last take; that partition's outcomes offset is committed as of its last take. Longer
    /// makes a backlog cheaper: a take republishes every cell changed since the one before.
    public var rollupInterval = TimeSpan.seconds(1)
    /// Records taken per poll.
    public var batchSize = 1000
    /// Timer firings per second at most: bounds the flood of catch-up alarms after an outage.
    public var catchUpRate = 500
    /// Owner queues (``SubjectOwners``), each deciding for a group of the assigned partitions
    /// on its own core; 0 means one per core (``ownerCount``).
    public var owners = 0
    /// Events kept per ticket or outage; the event past it refuses the subject (``SLACore/TrackerLimits``).
    public var maxHistory = 500
    /// The owner queues this worker runs: `owners`, or the cores this process may use.
    public var ownerCount: Int { owners > 0 ? owners : max(1, ProcessInfo.processInfo.activeProcessorCount) }
    /// How long a graceful shutdown may take before the process gives up waiting.
    public var shutdownTimeout = TimeSpan.seconds(30)
    /// Where the HTTP endpoints listen (host and port); nil: no HTTP server.
    public var httpListen: (host: String, port: Int)? = ("127.0.0.1", 9464)

    public static func == (a: WorkerSettings, b: WorkerSettings) -> Bool {
        a.groupId == b.groupId && a.ticketsTopic == b.ticketsTopic && a.outagesTopic == b.outagesTopic
            && a.ticketChangelog == b.ticketChangelog && a.outageChangelog == b.outageChangelog && a.eventsTopic == b.eventsTopic
            && a.escalationsTopic == b.escalationsTopic && a.deadLetterTopic == b.deadLetterTopic && a.outcomesTopic == b.outcomesTopic
            && a.rollupChangelog == b.rollupChangelog && a.rollupsTopic == b.rollupsTopic && a.rollupRetention == b.rollupRetention
            && a.postgresURL == b.postgresURL && a.policyPath == b.policyPath
            && a.calendarPath == b.calendarPath && a.calendarWarnDays == b.calendarWarnDays && a.commitInterval == b.commitInterval
            && a.rollupInterval == b.rollupInterval && a.batchSize == b.batchSize
            && a.catchUpRate == b.catchUpRate && a.owners == b.owners && a.maxHistory == b.maxHistory && a.shutdownTimeout == b.shutdownTimeout
            && a.httpListen?.host == b.httpListen?.host && a.httpListen?.port == b.httpListen?.port
    }

    /// The defaults.
    public init() {}

    /// The keys the section accepts.
    public static let keys: [String] = ["group_id"] + TopicRole.allCases.map(\.key) + [
        "rollup_retention", "postgres_url", "policy", "calendar", "calendar_warn_days", "commit_interval", "rollup_interval",
        "batch_size", "catch_up_rate", "owners", "max_history", "shutdown_timeout", "http_listen",
    ]

    /// Sets one key from its text; the error is the reason, without the key.
    public mutating func set(_ key: String, _ text: String) throws(SettingRefusal) {
        func topic() throws(SettingRefusal) -> String {
            guard TopicsConfig.isValidTopicName(text) else {
                throw SettingRefusal("\"\(text)\" is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -, not . or ..)")
            }
            return text
        }
        func span(_ range: ClosedRange<Int64>) throws(SettingRefusal) -> TimeSpan {
            guard let s = TimeSpan.parse(text), range.contains(s.milliseconds) else {
                throw SettingRefusal("\"\(text)\" is not a duration from \(TimeSpan(milliseconds: range.lowerBound)) to \(TimeSpan(milliseconds: range.upperBound)) (e.g. 1s, 500ms, 2m)")
            }
            return s
        }
        func int(_ range: ClosedRange<Int>) throws(SettingRefusal) -> Int {
            guard let n = Int(text), range.contains(n) else { throw SettingRefusal("\"\(text)\" is not a whole number from \(range.lowerBound) to \(range.upperBound)") }
            return n
        }
        if let role = TopicRole(rawValue: key) { self[role] = try topic(); return }
        switch key {
        case "group_id":
            guard !text.isEmpty else { throw SettingRefusal("must not be empty") }
            groupId = text
        case "rollup_retention": rollupRetention = try span(3_600_000...(400 * 86_400_000))
        case "postgres_url":
            guard !text.isEmpty else { postgresURL = nil; return }
            _ = try PostgresURL(text)
            postgresURL = text
        case "policy": policyPath = text.isEmpty ? nil : text
        case "calendar": calendarPath = text.isEmpty ? nil : text
        case "calendar_warn_days": calendarWarnDays = try int(0...3_650)
        case "commit_interval": commitInterval = try span(10...3_600_000)
        case "rollup_interval": rollupInterval = try span(10...3_600_000)
        case "batch_size": batchSize = try int(1...100_000)
        case "catch_up_rate": catchUpRate = try int(1...1_000_000)
        case "owners": owners = try int(0...64)
        case "max_history": maxHistory = try int(10...100_000)
        case "shutdown_timeout": shutdownTimeout = try span(1000...3_600_000)
        case "http_listen":
            guard !text.isEmpty else { httpListen = nil; return }
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port),
                  colon > text.startIndex else {
                throw SettingRefusal("\"\(text)\" is not HOST:PORT (e.g. 127.0.0.1:9464, 0.0.0.0:9464), or \"\" for no HTTP server")
            }
            httpListen = (String(text[..<colon]), port)
        default: throw SettingRefusal("unknown key (known: \(Self.keys.joined(separator: ", ")))")
        }
    }

    /// Checks what single keys cannot: topics that must differ.
    public func validate() throws(SettingRefusal) {
        let named = [("tickets_topic", ticketsTopic), ("outages_topic", outagesTopic), ("ticket_changelog", ticketChangelog),
                     ("outage_changelog", outageChangelog), ("events_topic", eventsTopic),
                     ("escalations_topic", escalationsTopic), ("dead_letter_topic", deadLetterTopic), ("outcomes_topic", outcomesTopic),
                     ("rollup_changelog", rollupChangelog), ("rollups_topic", rollupsTopic)]
        var seen: [String: String] = [:]
        for (key, topic) in named {
            if let other = seen[topic], !(Set([key, other]) == ["events_topic", "escalations_topic"]) {
                throw SettingRefusal("\(key) and \(other) are both \(topic); each needs its own topic")
            }
            seen[topic] = key
        }
    }
}

/// Why a setting's value was refused.
public struct SettingRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason, without the key.
    public var reason: String
    /// A refusal with its reason.
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
