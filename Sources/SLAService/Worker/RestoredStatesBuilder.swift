// Decodes a restore's changelog records on a queue of its own while the reader goes on reading.

import Dispatch
import SLACore
import SLAKafka

/// Fills a ``RestoredStates`` on its own serial queue, batch by batch, as the changelog is
/// read: the reading thread hands each batch over and fetches the next while the previous one
/// decodes on another core (decoding in line made the read longer by as much as it saved
/// the adoption).
final class RestoredStatesBuilder: @unchecked Sendable {
    // @unchecked: `states` is touched only on `queue`.
    private let queue = DispatchQueue(label: "slawatch.worker.restore-decode")
    private var states: RestoredStates

    /// An empty set of states (see ``RestoredStates/init(policy:outcomesTopic:)``).
    init(policy: Policy, outcomesTopic: String) {
        states = RestoredStates(policy: policy, outcomesTopic: outcomesTopic)
    }

    /// Queues changelog records (value, key, the input partition they restore), in read order.
    func add(_ records: [(value: [UInt8]?, key: String, input: TopicPartition)]) {
        guard !records.isEmpty else { return }
        queue.async { [self] in
            for r in records { states.add(r.value, key: r.key, restoring: r.input) }
        }
    }

    /// Waits until every queued record is decoded and returns the states.
    func finished() -> RestoredStates { queue.sync { states } }
}
