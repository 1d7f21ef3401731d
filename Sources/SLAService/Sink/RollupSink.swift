// Copies the rollups topic into PostgreSQL, committing offsets only after the rows are stored.

import Dispatch
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import SLAKafka

/// The optional PostgreSQL sink: a consumer of the rollups topic in its own group
/// (`<group_id>.sink`, so the instances share its partitions), that upserts each batch in one
/// transaction and only then commits the batch's offsets.
///
/// While PostgreSQL is down the batch is kept, the partitions are paused (the consumer keeps
/// polling, so it stays in its group) and the store is retried with a growing pause up to 30 s:
/// rollups wait in Kafka, nothing is lost, and the clocks — another thread, another consumer —
/// go on. A replayed batch (after a crash or a partition move) changes no row, because a row is
/// replaced only by a record of equal or higher revision.
public final class RollupSink: Service, @unchecked Sendable {
    // @unchecked: `pending` and `paused` are used only on the sink's thread (the listener runs
    // inside `poll` on that thread); the counters are guarded by `lock`.
    private let consumer: KafkaConsumer
    private let store: PostgresRollupStore
    private let topic: String
    private let url: PostgresURL
    private let logger: Logger
    private let lock = NSLock()
    private let thread = PollThread(name: "slawatch-sink")
    private var pending: [(tp: TopicPartition, offset: Int64, record: SinkRecord?)] = []
    private var paused = false
    private var counters = Counters()
    private let storedMetric = Counter(label: MetricName.sinkStored)
    private let failuresMetric = Counter(label: MetricName.sinkFailures)
    private let failingMetric = Gauge(label: MetricName.sinkFailing)

    /// What the sink did so far.
    public struct Counters: Sendable, Equatable {
        /// Records stored (upserted, whether or not a row changed).
        public var stored = 0
        /// Records of the rollups topic that are not rollups or scorecards (skipped, logged).
        public var refused = 0
        /// Store attempts that failed (each retried).
        public var failures = 0
        /// Whether the last attempt failed (PostgreSQL unreachable or refusing).
        public var failing = false
    }

    /// A sink for the configuration's `postgres_url` (which must be set).
    public init(config: SlawatchConfig, logger: Logger = Logger(label: "slawatch.sink")) throws {
        guard let text = config.worker.postgresURL else { throw SettingRefusal("postgres_url is not set") }
        url = try PostgresURL(text)
        topic = config.worker.rollupsTopic
        self.logger = logger
        store = PostgresRollupStore(url: url, logger: logger)
        let kafka = config.kafka.consumerRole(group: config.worker.groupId + ".sink")
        let listener = SinkPartitions()
        consumer = try KafkaConsumer(config: kafka, listener: listener)
        listener.sink = self
    }

    /// The counters now.
    public var stats: Counters { lock.withLock { counters } }

    /// Joins the sink's group and starts its thread (which polls Kafka and writes to
    /// PostgreSQL; neither uses the concurrency pool).
    public func start() throws {
        try consumer.subscribe([topic])
        logger.info("rollups sink started", metadata: ["postgres": "\(url)", "topic": "\(topic)"])
        thread.start { [self] _ in
            loop()
            try? consumer.close(timeoutMilliseconds: 10_000)
            store.close()
            logger.info("rollups sink stopped", metadata: ["stored": "\(stats.stored)"])
        }
    }

    /// Runs until the service group shuts down.
    public func run() async throws {
        try start()
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                Thread { [self] in waitUntilStopped(); c.resume() }.start()
            }
        } onGracefulShutdown: { [self] in
            stop()
        }
    }

    /// Asks the sink to stop (as a graceful shutdown of its service group does): it stores what
    /// it holds if it can, closes its consumer and connection, and its thread ends.
    public func stop() { thread.requestStop() }

    /// Blocks until the sink's thread has ended (after ``stop()``); at once if it never started.
    public func waitUntilStopped() { thread.join() }

    private var shouldStop: Bool { !thread.isRunning }

    private func loop() {
        var backoff = 1.0
        while !shouldStop {
            do {
                for r in try consumer.poll(maxRecords: 2000, timeoutMilliseconds: pending.isEmpty ? 200 : 0) { take(r) }
            } catch {
                logger.error("rollups sink: consumer failed", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: 1)
                continue
            }
            guard !pending.isEmpty else { continue }
            do {
                try storePending()
                backoff = 1
            } catch {
                lock.withLock { counters.failures += 1; counters.failing = true }
                failuresMetric.increment()
                failingMetric.record(1)
                logger.warning("PostgreSQL store failed; the rollups wait in Kafka and the store is retried",
                               metadata: ["postgres": "\(url)", "error": "\(String(reflecting: error))", "retry_in_seconds": "\(backoff)"])
                setPaused(true)
                // Waiting in short steps keeps the consumer polled (group membership) and a stop prompt.
                let until = Date(timeIntervalSinceNow: backoff)
                while Date() < until, !shouldStop {
                    for r in (try? consumer.poll(maxRecords: 2000, timeoutMilliseconds: 100)) ?? [] { take(r) }
                }
                backoff = min(backoff * 2, 30)
            }
        }
        if !pending.isEmpty { try? storePending() }
    }

    private func take(_ r: ConsumerRecord) {
        guard let value = r.value else { return }  // a tombstone: nothing to store
        do throws(SinkRefusal) {
            let record = try SinkRecord.parse(key: String(decoding: r.key ?? [], as: UTF8.self), value: value)
            pending.append((r.topicPartition, r.offset, record))
        } catch {
            lock.withLock { counters.refused += 1 }
            logger.error("rollups record skipped by the sink", metadata: ["source": "\(r.topicPartition)@\(r.offset)", "reason": "\(error)"])
            // Kept without a record, so its offset is committed with the batch.
            pending.append((r.topicPartition, r.offset, nil))
        }
    }

    /// Stores the pending batch (the latest revision per row only) and commits its offsets.
    private func storePending() throws {
        var latest: [String: SinkRecord] = [:]
        var order: [String] = []
        var offsets: [TopicPartition: Int64] = [:]
        for p in pending {
            offsets[p.tp] = max(offsets[p.tp] ?? 0, p.offset + 1)
            guard let record = p.record else { continue }
            let k = record.rowKey
            if latest[k] == nil { order.append(k) }
            if (latest[k]?.revision ?? Int64.min) <= record.revision { latest[k] = record }
        }
        let batch = order.map { latest[$0]! }
        if !batch.isEmpty { try store.store(batch) }
        pending.removeAll(keepingCapacity: true)
        lock.withLock { counters.stored += batch.count; counters.failing = false }
        storedMetric.increment(by: batch.count)
        failingMetric.record(0)
        setPaused(false)
        do throws(KafkaError) { try consumer.commit(offsets) } catch {
            // The rows are stored; a failed commit only means they are stored again later (no change).
            logger.warning("rollups sink: commit failed; the batch may be read again", metadata: ["error": "\(error)"])
        }
    }

    private func setPaused(_ on: Bool) {
        guard on != paused, let assigned = try? consumer.assignment(), !assigned.isEmpty else { return }
        do throws(KafkaError) {
            if on { try consumer.pause(assigned) } else { try consumer.resume(assigned) }
            paused = on
        } catch {
            logger.warning("rollups sink: could not \(on ? "pause" : "resume") its partitions", metadata: ["error": "\(error)"])
        }
    }

    fileprivate func assigned(_ partitions: [TopicPartition]) {
        // Assigned partitions arrive paused; they flow unless the database is failing.
        if !paused { try? consumer.resume(partitions) }
    }

    fileprivate func revoked(_ partitions: [TopicPartition]) {
        // Their next owner reads from the last commit; storing those records twice is harmless.
        let gone = Set(partitions)
        pending.removeAll { gone.contains($0.tp) }
    }
}

/// The sink consumer's listener: forwards to the sink without keeping it alive.
private final class SinkPartitions: RebalanceListener, @unchecked Sendable {
    // @unchecked: set once right after the consumer is made, before it is subscribed.
    weak var sink: RollupSink?
    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) { sink?.assigned(partitions) }
    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) { sink?.revoked(partitions) }
}
