// What a restore read from the changelog partitions: the latest record per key.

import SLACore
import SLAKafka

/// The states a worker restores for the partitions it was given, latest record per key, by
/// input partition.
///
/// Subjects' states are decoded as they are read: reading the changelog mostly waits for the
/// broker, so decoding there takes the work off the owner's queue, where adopting the states
/// holds up every timer (half of adopting a million tickets was decoding them). Rollup states
/// stay bytes for the rollup stage.
struct RestoredStates {
    /// A subject's latest changelog record.
    enum Stored {
        /// Its state.
        case state(SubjectState)
        /// A record that does not decode (skipped and counted when adopted).
        case unreadable(StateDecodingError)
        /// A tombstone: the subject is done.
        case deleted
    }

    /// Ticket and outage states by input partition and key.
    private(set) var subjects: [TopicPartition: [String: Stored]] = [:]
    /// Rollup states (nil: deleted) by outcomes partition and key.
    private(set) var rollups: [TopicPartition: [String: [UInt8]?]] = [:]
    private let policy: Policy
    private let outcomesTopic: String

    /// Nothing read yet; states decode against `policy`, and records restoring `outcomesTopic`
    /// partitions are rollup states.
    init(policy: Policy, outcomesTopic: String) {
        self.policy = policy
        self.outcomesTopic = outcomesTopic
    }

    /// Takes a changelog record restoring `input`; a later record for the same key replaces it.
    mutating func add(_ value: [UInt8]?, key: String, restoring input: TopicPartition) {
        if input.topic == outcomesTopic {
            rollups[input, default: [:]][key] = .some(value)
            return
        }
        let stored: Stored
        if let value {
            do throws(StateDecodingError) { stored = .state(try StateCodec.decode(value, policy: policy)) } catch { stored = .unreadable(error) }
        } else {
            stored = .deleted
        }
        subjects[input, default: [:]][key] = stored
    }

    /// Takes in the states another builder read for other input partitions (a restore's
    /// decoding lanes never share a partition; were one shared, `other`'s records count as later).
    mutating func absorb(_ other: RestoredStates) {
        subjects.merge(other.subjects) { mine, theirs in mine.merging(theirs) { _, later in later } }
        rollups.merge(other.rollups) { mine, theirs in mine.merging(theirs) { _, later in later } }
    }
}
