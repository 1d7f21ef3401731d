// Decodes a restore's changelog records on queues of their own while the reader goes on reading.

import Dispatch
import Foundation
import SLACore
import SLAKafka

/// Fills a ``RestoredStates`` on serial queues of its own ("lanes"), batch by batch, as the
/// changelog is read: the reading thread hands each batch over and fetches the next while the
/// previous ones decode on other cores (decoding in line made the read longer by as much as it
/// saved the adoption).
///
/// A record goes to the lane of the input partition it restores, so one key's records stay in
/// one lane in read order (a later record replaces an earlier one) and the lanes' states never
/// share a partition. One lane kept the read of 1 000 000 ticket states waiting about 1.3 s for
/// decoding once the broker served the records quickly.
final class RestoredStatesBuilder: @unchecked Sendable {
    // @unchecked: each lane's `states` is touched only on that lane's queue.
    private final class Lane: @unchecked Sendable {
        let queue: DispatchQueue
        var states: RestoredStates
        init(_ i: Int, policy: Policy, outcomesTopic: String) {
            queue = DispatchQueue(label: "slawatch.worker.restore-decode.\(i)")
            states = RestoredStates(policy: policy, outcomesTopic: outcomesTopic)
        }
    }

    private let lanes: [Lane]

    /// An empty set of states (see ``RestoredStates/init(policy:outcomesTopic:)``), decoded on
    /// `lanes` queues (at least one; by default one per core, at most four).
    init(policy: Policy, outcomesTopic: String, lanes: Int = min(4, ProcessInfo.processInfo.activeProcessorCount)) {
        self.lanes = (0..<max(1, lanes)).map { Lane($0, policy: policy, outcomesTopic: outcomesTopic) }
    }

    /// Queues changelog records (value, key, the input partition they restore), in read order.
    func add(_ records: [(value: [UInt8]?, key: String, input: TopicPartition)]) {
        guard !records.isEmpty else { return }
        guard lanes.count > 1 else { return enqueue(records, on: lanes[0]) }
        var split = Array(repeating: [(value: [UInt8]?, key: String, input: TopicPartition)](), count: lanes.count)
        for r in records { split[lane(of: r.input)].append(r) }
        for (i, part) in split.enumerated() where !part.isEmpty { enqueue(part, on: lanes[i]) }
    }

    /// Waits until every queued record is decoded and returns the states of all lanes.
    func finished() -> RestoredStates {
        var all = lanes[0].queue.sync { lanes[0].states }
        for lane in lanes.dropFirst() { all.absorb(lane.queue.sync { lane.states }) }
        return all
    }

    /// The lane of an input partition: by partition number, so a topic's partitions spread.
    private func lane(of input: TopicPartition) -> Int { Int(input.partition.magnitude) % lanes.count }

    private func enqueue(_ records: [(value: [UInt8]?, key: String, input: TopicPartition)], on lane: Lane) {
        lane.queue.async {
            for r in records { lane.states.add(r.value, key: r.key, restoring: r.input) }
        }
    }
}
