// One `kafka:` section split into what each of the daemon's librdkafka clients takes, and the
// few properties the daemon itself reads. librdkafka's property names stay in this module.

extension KafkaConfig {
    /// Consumer-only properties: librdkafka warns when a producer is given them.
    static let consumerOnly: Set<String> = [
        "group.id", "group.instance.id", "auto.offset.reset", "enable.auto.commit", "auto.commit.interval.ms",
        "partition.assignment.strategy", "session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms",
        "enable.auto.offset.store", "fetch.min.bytes", "fetch.max.bytes", "fetch.wait.max.ms", "isolation.level",
        "max.partition.fetch.bytes", "queued.min.messages", "queued.max.messages.kbytes", "enable.partition.eof",
    ]
    /// Producer-only properties: librdkafka warns when a consumer is given them.
    static let producerOnly: Set<String> = [
        "acks", "request.required.acks", "linger.ms", "queue.buffering.max.ms", "enable.idempotence",
        "compression.type", "compression.codec", "message.timeout.ms", "delivery.timeout.ms", "batch.size",
        "batch.num.messages", "queue.buffering.max.messages", "queue.buffering.max.kbytes", "retries",
        "message.send.max.retries", "partitioner", "transactional.id", "max.in.flight.requests.per.connection",
        "max.in.flight",
    ]

    /// The group consumer's properties: reading starts at the earliest record for a new group
    /// (a daemon must not skip tickets created before its first start), and statistics (for
    /// the consumer-lag gauges) come every 10 s unless set.
    public var consumerRole: KafkaConfig {
        var out = KafkaConfig(properties.filter { !Self.producerOnly.contains($0.key) })
        if out["auto.offset.reset"] == nil { out["auto.offset.reset"] = "earliest" }
        if out["statistics.interval.ms"] == nil { out["statistics.interval.ms"] = "10000" }
        return out
    }

    /// The producer's properties.
    public var producerRole: KafkaConfig {
        KafkaConfig(properties.filter { !Self.consumerOnly.contains($0.key) && $0.key != "statistics.interval.ms" })
    }

    /// A group-less reader's properties (changelogs, the outage table); its own group id,
    /// `<group.id>.restore`, is never joined. A fetch that finds nothing new comes back at once,
    /// and fetching goes on until ``readerQueuedMinMessages`` records wait to be read.
    public var readerRole: KafkaConfig {
        var out = KafkaConfig(properties.filter { !Self.consumerOnly.contains($0.key) && !Self.producerOnly.contains($0.key) })
        out["group.id"] = (groupId ?? "slawatch") + ".restore"
        out["statistics.interval.ms"] = nil
        out["fetch.wait.max.ms"] = "10"
        out["queued.min.messages"] = String(Self.readerQueuedMinMessages)
        return out
    }

    /// The reader's `queued.min.messages`. librdkafka 2.0.2 compares it with the length of the
    /// queue every partition's records are forwarded to, so its default (100 000) stops all of
    /// a restore's partitions from fetching once 100 000 records wait in all, and each one
    /// fetches again only after a pause of its broker thread: reading 1 000 000 changelog
    /// records over 84 partitions took 3.7–5.1 s, and 0.7–1.3 s with this value (same run,
    /// PipelineBenchmark). What waits is still bounded in bytes by `queued.max.messages.kbytes`.
    public static let readerQueuedMinMessages = 1_000_000

    /// The consumer role of another group: `groupId` instead, and no statistics (the rollups sink).
    public func consumerRole(group: String) -> KafkaConfig {
        var out = consumerRole
        out.groupId = group
        out["statistics.interval.ms"] = nil
        return out
    }

    /// `group.id`.
    public var groupId: String? {
        get { self["group.id"] }
        set { self["group.id"] = newValue }
    }

    /// `bootstrap.servers`.
    public var bootstrapServers: String? {
        get { self["bootstrap.servers"] }
        set { self["bootstrap.servers"] = newValue }
    }

    /// librdkafka's default `message.max.bytes`.
    public static let defaultMessageMaxBytes = 1_000_000

    /// The largest record the producer sends (`message.max.bytes`, librdkafka's default when unset).
    public var messageMaxBytes: Int { self["message.max.bytes"].flatMap { Int($0) } ?? Self.defaultMessageMaxBytes }

    /// How long librdkafka keeps trying to deliver a record before it reports failure
    /// (`message.timeout.ms`, or its alias `delivery.timeout.ms`; 300 000 by default).
    public var deliveryTimeoutMilliseconds: Int {
        Int(self["message.timeout.ms"] ?? self["delivery.timeout.ms"] ?? "") ?? 300_000
    }

    /// A client of a local development broker that notices group changes within a second or
    /// two (short session, fast heartbeats and fetches), for the demo and its followers.
    public static func localDevelopment(bootstrapServers: String, groupId: String? = nil) -> KafkaConfig {
        var c = KafkaConfig(["bootstrap.servers": bootstrapServers, "session.timeout.ms": "6000",
                             "heartbeat.interval.ms": "300", "fetch.wait.max.ms": "50", "linger.ms": "5"])
        c.groupId = groupId
        return c
    }
}
