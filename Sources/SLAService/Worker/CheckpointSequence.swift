// The at-least-once checkpoint: publish, wait, changelog, wait, commit — in that order, always.

import Foundation
import SLAKafka

/// Makes what the owner processed durable, then commits it.
///
/// The order is the guarantee: every output emitted before the owner's snapshot is numbered;
/// the rollups the snapshot holds are published; all of it is delivered; then the changelog
/// (the subjects' states and the rollups' state) is written and delivered; only then are the
/// input offsets committed. A crash anywhere repeats outputs (same `event_id`s), never loses
/// one: an offset is committed only once everything it produced is on the broker.
struct CheckpointSequence {
    /// What one checkpoint sends, from the owner's snapshot (encoded off the owner's queue).
    struct Snapshot {
        /// Rollups, scorecards, verdict rows and stars to publish first.
        var publish: [ProducerRecord]
        /// Changelog records (subject states, tombstones, rollup state), after those are delivered.
        var changelog: [ProducerRecord]
        /// The next offset per input partition processed into that state.
        var offsets: [TopicPartition: Int64]
    }

    /// What a checkpoint did.
    enum Outcome: Equatable {
        /// Nothing new to commit.
        case unchanged
        /// These offsets were committed.
        case committed([TopicPartition: Int64])
        /// The commit was refused; it is tried again at the next checkpoint (not fatal: the
        /// records are reprocessed after a move, and dropped as duplicates).
        case commitFailed(String)
    }

    private let ports: any CheckpointPorts
    /// The offsets last committed, so an unchanged partition is not committed again.
    private(set) var lastCommitted: [TopicPartition: Int64] = [:]

    init(ports: any CheckpointPorts) { self.ports = ports }

    /// Runs one checkpoint; `dropping` partitions are forgotten afterwards (they are handed over).
    /// Throws when a record is not delivered within `timeout`: nothing is committed then.
    mutating func run(_ s: Snapshot, dropping: Set<TopicPartition> = [], timeout: TimeInterval) throws(WorkerFailure) -> Outcome {
        var last = ports.drainOutputs()
        for r in s.publish {
            last = ports.send(r, what: "rollup \(String(decoding: r.key ?? [], as: UTF8.self))")
        }
        try ports.waitDelivered(upTo: last, timeout: timeout)
        for r in s.changelog {
            last = ports.send(r, what: "changelog record of \(r.topic)[\(r.partition ?? -1)]")
        }
        try ports.waitDelivered(upTo: last, timeout: timeout)
        defer { for tp in dropping { lastCommitted[tp] = nil } }
        let changed = s.offsets.filter { lastCommitted[$0.key] != $0.value }
        guard !changed.isEmpty else { return .unchanged }
        do throws(KafkaError) {
            try ports.commit(changed)
        } catch {
            return .commitFailed("\(error)")
        }
        lastCommitted.merge(changed) { $1 }
        return .committed(changed)
    }
}
