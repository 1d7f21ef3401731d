// Every outage of the outages topic, on every instance: what rule 1 asks before timing a fault ticket.

import Foundation
import Logging
import SLACore
import SLAKafka

/// The outages topic read whole — all partitions, from the beginning, then followed — into an
/// ``OutageTable``, so any instance can tell whether a new fault ticket lies inside a known
/// outage, whichever instance owns the outage's own clocks.
///
/// Linking costs no timer: the tracker stamps the ticket with the outage id and its
/// dispatch and arrival stages (`skip_if_linked`) never start.
public final class GlobalOutageTable: OutageLookup, @unchecked Sendable {
    // @unchecked: `table` is guarded by `lock`; the follower is thread-safe.
    private let lock = NSLock()
    private var table = OutageTable()
    private var caughtUp = false
    private let follower: PartitionFollower
    private let topic: String
    private let logger: Logger
    /// Called, on the follower's thread, with the feeders and areas of the outages a batch
    /// changed, so their owners can link fault tickets an outage entered late now covers.
    /// Set before ``start(partitions:timeoutSeconds:)``.
    public var onChange: (@Sendable (_ feeders: Set<String>, _ areas: Set<String>) -> Void)?

    /// A table for `topic`; nothing is read until ``start(partitions:timeoutSeconds:)``.
    public init(config: KafkaConfig, topic: String, logger: Logger) throws(KafkaError) {
        follower = try PartitionFollower(config: config)
        self.topic = topic
        self.logger = logger
    }

    /// Outages known.
    public var count: Int { lock.withLock { table.count } }

    /// Reads the topic's `partitions` up to their current end (waiting at most
    /// `timeoutSeconds`), then keeps following them in the background.
    public func start(partitions: Int32, timeoutSeconds: Double = 60) throws {
        let ready = DispatchSemaphore(value: 0)
        let started = Date()
        try follower.start((0..<partitions).map { TopicPartition(topic, $0) }, onBatch: { [weak self] batch in
            self?.take(batch)
        }, onCaughtUp: {
            ready.signal()
        })
        guard ready.wait(timeout: .now() + timeoutSeconds) == .success else {
            throw WorkerFailure(.outages, "the outage table did not read \(topic) to its end within \(Int(timeoutSeconds)) s")
        }
        logger.info("outage table loaded", metadata: ["outages": "\(count)", "milliseconds": "\(Int(Date().timeIntervalSince(started) * 1000))"])
    }

    /// Stops following.
    public func stop() { follower.stop() }

    private func take(_ batch: [ConsumerRecord]) {
        // A record that is not a valid outage event is the owning worker's to dead-letter.
        let events = batch.compactMap { r in try? EventDecoder.outage(r.value ?? []) }
        guard !events.isEmpty else { return }
        let (feeders, areas) = lock.withLock {
            var feeders = Set<String>(), areas = Set<String>()
            for e in events {
                guard table.apply(e) == nil, let place = table.place(of: e.outageId) else { continue }
                feeders.formUnion(place.feeders); areas.formUnion(place.areas)
            }
            return (feeders, areas)
        }
        if !feeders.isEmpty || !areas.isEmpty { onChange?(feeders, areas) }
    }

    public func covering(feeder: String?, area: String?, at time: Timestamp) -> OutageMatch? {
        lock.withLock { table.covering(feeder: feeder, area: area, at: time) }
    }

    /// Every place the outages read so far name. One that arrives after this answer reaches
    /// its tickets through ``onChange``.
    public func coveredPlaces() -> (feeders: Set<String>, areas: Set<String>)? {
        lock.withLock { table.coveredPlaces() }
    }
}
