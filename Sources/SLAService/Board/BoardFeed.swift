// The group's whole board, on every instance: the events and escalations topics followed.

import Foundation
import Logging
import Metrics
import ServiceLifecycle
import SLACore
import SLAKafka

/// Follows every partition of the events and escalations topics from their beginning into a
/// ``ClockBoard``, so `/board` on any instance shows the whole group, not its own partitions.
///
/// It reads the topics as any consumer of the contract does (no group, no commit), so the
/// board is exactly what the desks are told. It knows nothing older than the topics keep:
/// their `retention.ms` must exceed the longest clock (docs/operations.md); the page says
/// since when it has events. Until it has read to the end the topics had at its start, it
/// says the board is not complete.
public final class BoardFeed: Service, @unchecked Sendable {
    // @unchecked: `board`, `caughtUp`, `rejected` and `lastPrune` are guarded by `lock`.
    private let lock = NSLock()
    private var board = ClockBoard()
    private var caughtUp = false
    private var rejected = 0
    private var lastPrune = Timestamp(milliseconds: 0)
    private let follower: PartitionFollower
    private let admin: KafkaConfig
    private let topics: [String]
    private let clock: any SLAClock
    private let logger: Logger
    private let openGauge = Gauge(label: MetricName.boardClocks)
    /// The calendar whose zone says what "today" is.
    public let calendar: BusinessCalendar

    /// A feed of the configuration's events and escalations topics; nothing is read until it runs.
    public init(config: SlawatchConfig, calendar: BusinessCalendar, clock: any SLAClock = SystemClock(),
                logger: Logger = Logger(label: "slawatch.board")) throws(KafkaError) {
        follower = try PartitionFollower(config: config.kafka.readerRole)
        admin = config.kafka.producerRole
        topics = [config.worker.eventsTopic, config.worker.escalationsTopic]
        self.calendar = calendar
        self.clock = clock
        self.logger = logger
    }

    /// Reads both topics whole, then follows them until the daemon shuts down. A start that
    /// fails (the cluster unreachable, a topic missing) is logged and tried again every 10 s:
    /// the board is for people, and must never stop the clocks.
    public func run() async throws {
        while true {
            do {
                try start()
                break
            } catch {
                logger.warning("the board cannot follow the SLA topics yet; trying again in 10 s", metadata: ["error": "\(error)"])
                do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(10)) } } catch { return }
            }
        }
        try? await gracefulShutdown()
        follower.stop()
    }

    /// Starts following (also used by tests without a service group).
    public func start() throws {
        let described = try KafkaAdmin(config: admin).describeTopics(timeoutMilliseconds: 15_000)
        var partitions: [TopicPartition] = []
        for t in topics {
            guard let n = described[t]?.partitions, n > 0 else { throw WorkerFailure(.topics, "the board cannot read \(t): the topic does not exist") }
            partitions += (0..<n).map { TopicPartition(t, $0) }
        }
        let started = clock.elapsedMilliseconds()
        try follower.start(partitions, onBatch: { [weak self] in self?.take($0) }, onCaughtUp: { [weak self] in
            guard let self else { return }
            let (n, applied) = lock.withLock { caughtUp = true; return (board.count, board.applied) }
            logger.info("board caught up", metadata: ["cycles": "\(n)", "events": "\(applied)",
                                                      "milliseconds": "\(clock.elapsedMilliseconds() - started)"])
        })
    }

    /// Stops following.
    public func stop() { follower.stop() }

    /// Runs `body` on the board as it is now, with the feed's clock reading, whether the topics
    /// have been read to the end they had at start, and how many records were not SLA events.
    public func read<T>(_ body: (ClockBoard, _ now: Timestamp, _ complete: Bool, _ rejected: Int) -> T) -> T {
        let now = clock.now()
        return lock.withLock { body(board, now, caughtUp, rejected) }
    }

    private func take(_ batch: [ConsumerRecord]) {
        var events: [BoardEvent] = []
        events.reserveCapacity(batch.count)
        var bad = 0
        for r in batch {
            // Dead letters name themselves on their own topic; anything else here is not ours.
            guard let e = try? BoardEvent.decode(r.value ?? []) else { bad += 1; continue }
            events.append(e)
        }
        let now = clock.now()
        let count = lock.withLock { () -> Int in
            for e in events { board.apply(e) }
            rejected += bad
            // Ended cycles leave at the day's end; once a minute is often enough to look.
            if now.milliseconds - lastPrune.milliseconds >= 60_000 {
                board.prune(now: now, calendar: calendar)
                lastPrune = now
            }
            return board.count
        }
        openGauge.record(count)
        if bad > 0 { logger.warning("records on the SLA topics that are not SLA events, skipped by the board", metadata: ["records": "\(bad)"]) }
    }
}
