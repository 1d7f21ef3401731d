// Splits one `kafka:` section into what the worker's consumer, producer and reader each take.

import SLAKafka

/// The worker's librdkafka clients share the operator's properties (brokers, security), but a
/// few only make sense for one role; librdkafka warns about the others, so they are left out.
enum ClientRoles {
    /// Consumer-only properties.
    static let consumerOnly: Set<String> = [
        "group.id", "group.instance.id", "auto.offset.reset", "enable.auto.commit", "auto.commit.interval.ms",
        "partition.assignment.strategy", "session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms",
        "enable.auto.offset.store", "fetch.min.bytes", "fetch.max.bytes", "fetch.wait.max.ms", "isolation.level",
        "max.partition.fetch.bytes", "queued.min.messages", "queued.max.messages.kbytes", "enable.partition.eof",
    ]
    /// Producer-only properties.
    static let producerOnly: Set<String> = [
        "acks", "request.required.acks", "linger.ms", "queue.buffering.max.ms", "enable.idempotence",
        "compression.type", "compression.codec", "message.timeout.ms", "delivery.timeout.ms", "batch.size",
        "batch.num.messages", "queue.buffering.max.messages", "queue.buffering.max.kbytes", "retries",
        "message.send.max.retries", "partitioner", "transactional.id", "max.in.flight.requests.per.connection",
        "max.in.flight",
    ]

    /// The group consumer's properties: reading starts at the earliest record for a new group
    /// (a daemon must not skip tickets created before its first start).
    static func consumer(_ c: KafkaConfig) -> KafkaConfig {
        var out = KafkaConfig(c.properties.filter { !producerOnly.contains($0.key) })
        if out["auto.offset.reset"] == nil { out["auto.offset.reset"] = "earliest" }
        // Statistics feed the consumer-lag gauges.
        if out["statistics.interval.ms"] == nil { out["statistics.interval.ms"] = "10000" }
        return out
    }

    /// The producer's properties.
    static func producer(_ c: KafkaConfig) -> KafkaConfig {
        KafkaConfig(c.properties.filter { !consumerOnly.contains($0.key) && $0.key != "statistics.interval.ms" })
    }

    /// The changelog reader's properties (group-less; its own group id is never joined).
    static func reader(_ c: KafkaConfig) -> KafkaConfig {
        var out = KafkaConfig(c.properties.filter { !consumerOnly.contains($0.key) && !producerOnly.contains($0.key) })
        out["group.id"] = (c["group.id"] ?? "slawatch") + ".restore"
        out["statistics.interval.ms"] = nil
        // Reading to the end: a fetch that finds nothing new should come back at once.
        out["fetch.wait.max.ms"] = "10"
        return out
    }
}
