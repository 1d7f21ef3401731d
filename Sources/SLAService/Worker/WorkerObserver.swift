// What a worker tells the operations side: loop turns, restores, hand-overs, status, stop.

import SLAKafka

/// Receives a worker's life events, on the worker's poll thread. Implementations must return
/// quickly (they run inside the loop they watch).
public protocol WorkerObserver: AnyObject, Sendable {
    /// The poll loop went round (or a long wait inside it made progress): the loop is alive.
    func workerLoopTurned()
    /// Partitions were assigned and their changelogs are being read.
    func workerRestoring(_ partitions: [TopicPartition])
    /// Those partitions are restored and consuming.
    func workerRestored(_ partitions: [TopicPartition], milliseconds: Int)
    /// Partitions were handed over to another instance.
    func workerRevoked(_ partitions: [TopicPartition])
    /// Periodic counters (every few seconds).
    func workerStatus(_ stats: WorkerStats)
    /// A checkpoint committed offsets, after `milliseconds` of waiting for deliveries and the commit.
    func workerCommitted(milliseconds: Int)
    /// The worker is stopping.
    func workerStopping()
}
