// The daemon's engine: consume in a group, own partitions' state, checkpoint, hand partitions over.

import Dispatch
import Foundation
import Logging
import SLACore
import SLAKafka

/// One slawatch worker: a member of the consumer group that keeps the SLA clocks of the
/// partitions it owns.
///
/// A dedicated thread polls the consumer; records and timer expiries are handled on the
/// ``SubjectOwner``'s serial queue. The guarantee is at-least-once with deterministic event
/// ids: a checkpoint waits for every output sent so far to be delivered, then writes the
/// changed subjects' states to the changelog and waits for those, and only then commits the
/// input offsets. A crash can repeat outputs (with identical `event_id`s), never lose one.
///
/// Partition moves are hand-offs (see ``RebalanceListener``): an assigned partition stays
/// paused until its changelog partition is read and its timers rebuilt; a revoked one is
/// checkpointed and dropped before the group moves it.
public final class SLAWorker: @unchecked Sendable {
    // @unchecked: `consumer`, `reader` and `lastCommitted` are used only on the poll thread;
    // `owner` is itself confined to its queue; the flags are guarded by `lock`.
    private let settings: WorkerSettings
    private let outputs: OutputTopics
    /// The policy restored states are decoded against (the poll thread's; a reload changes it there).
    private var policy: Policy
    /// A reload asked for and not yet applied (taken by the poll thread), under `lock`.
    private var pendingReload: PendingReload?
    private let ledger: DeliveryLedger
    private let producer: KafkaProducer
    private let emitter: OutputEmitter
    private var consumer: KafkaConsumer!
    private let reader: PartitionReader
    private let owner: SubjectOwner
    private let outages: GlobalOutageTable
    private let kafka: KafkaConfig
    private let logger: Logger
    private let lock = NSLock()
    private var stopRequested = false
    private var failure: WorkerFailure?
    private var ready = false
    private var finished: Result<Void, WorkerFailure>?
    private var waiters: [@Sendable (Result<Void, WorkerFailure>) -> Void] = []
    private var lastCommitted: [TopicPartition: Int64] = [:]
    private var observers: [any WorkerObserver] = []
    /// Partitions of the tickets topic, known once started (to say where a ticket not held lives).
    private var ticketPartitions: Int32 = 0
    /// How long a checkpoint waits for delivery reports (librdkafka's own give-up is `message.timeout.ms`).
    private let deliveryWait: TimeInterval

    /// A worker; nothing connects until ``start()``.
    public init(config: SlawatchConfig, policy: Policy, calendar: BusinessCalendar,
                clock: any SLAClock = SystemClock(), logger: Logger = Logger(label: "slawatch.worker")) throws(KafkaError) {
        settings = config.worker
        self.policy = policy
        kafka = config.kafka
        self.logger = logger
        outputs = OutputTopics(settings: config.worker, calendar: calendar,
                               recordLimit: RecordBudget(kafka: ClientRoles.producer(config.kafka), deadLetterTopic: config.worker.deadLetterTopic).maxBytes)
        let budget = RecordBudget(kafka: ClientRoles.producer(config.kafka), deadLetterTopic: config.worker.deadLetterTopic)
        let ledger = DeliveryLedger(budget: budget) { [logger] topic, what, size in
            WorkerMetrics.oversizedRecord(topic: topic)
            logger.error("output record over message.max.bytes; a dead letter names it instead", metadata: [
                "record": "\(what)", "topic": "\(topic)", "bytes": "\(size)", "message_max_bytes": "\(budget.maxBytes)",
            ])
        }
        self.ledger = ledger
        producer = try KafkaProducer(config: ClientRoles.producer(config.kafka), numberedDeliveries: { ledger.delivered($0, $1) })
        emitter = OutputEmitter(outputs: outputs, producer: producer, ledger: ledger)
        reader = try PartitionReader(config: ClientRoles.reader(config.kafka))
        let timeout = Double(config.kafka["message.timeout.ms"] ?? config.kafka["delivery.timeout.ms"] ?? "300000") ?? 300_000
        deliveryWait = timeout / 1000 + 30
        outages = try GlobalOutageTable(config: ClientRoles.reader(config.kafka), topic: config.worker.outagesTopic, logger: logger)
        owner = SubjectOwner(queue: DispatchQueue(label: "slawatch.worker.owner"), clock: clock,
                             tracker: SLATracker(policy: policy, calendar: calendar,
                                                 limits: TrackerLimits(maxHistory: config.worker.maxHistory, maxStateBytes: budget.maxStateBytes)),
                             outages: outages, outputs: outputs,
                             emitter: emitter, catchUpRate: config.worker.catchUpRate, logger: logger)
        // An outage entered after the fault tickets it covers links those this instance holds.
        outages.onChange = { [owner] feeders, areas in owner.queue.async { owner.relink(feeders: feeders, areas: areas) } }
        let handOff = PartitionHandOff()
        let lag = ConsumerLagGauges()
        consumer = try KafkaConsumer(config: ClientRoles.consumer(config.kafka), listener: handOff) { lag.update(statisticsJSON: $0) }
        handOff.worker = self
    }

    /// Adds an observer of the worker's life (health, systemd, metrics); call before ``start()``.
    public func add(observer: any WorkerObserver) { observers.append(observer) }

    /// The counters now.
    public var stats: WorkerStats {
        var s = owner.queue.sync { owner.snapshot() }
        s.oversizedRecords = ledger.oversizedRecords
        return s
    }

    /// True once the first assignment has been restored and resumed (or the worker runs with
    /// none yet after joining); false again after it stops.
    public var isReady: Bool { lock.withLock { ready && finished == nil } }

    /// Checks the topics, joins the group and starts the poll thread. Throws when a topic is
    /// missing or a changelog's partition count differs from its input's.
    public func start() throws {
        let topics = try KafkaAdmin(config: ClientRoles.producer(kafka)).describeTopics(timeoutMilliseconds: 15_000)
        try TopicCheck(settings: settings).verify(topics)
        lock.withLock { ticketPartitions = topics[settings.ticketsTopic]?.partitions ?? 0 }
        // Rule 1 needs every known outage before the first fault ticket is judged.
        try outages.start(partitions: topics[settings.outagesTopic]?.partitions ?? 0)
        try producer.prepare(topics: settings.topics(where: \.isProduced), timeoutMilliseconds: 15_000)
        // Outcomes are the input of the second stage, the rollups: same group, same hand-offs.
        try consumer.subscribe(settings.topics(where: \.isGroupInput))
        owner.queue.sync { owner.start() }
        let t = Thread { [self] in pollLoop() }
        t.name = "slawatch-worker-poll"
        t.start()
        logger.info("worker started", metadata: ["group": "\(settings.groupId)", "inputs": "\(settings.ticketsTopic), \(settings.outagesTopic)"])
    }

    /// The tickets topic's partition count (0 before ``start()``).
    var ticketPartitionCount: Int32 { lock.withLock { ticketPartitions } }

    /// A subject's explanation if held, and the tickets topic's partitions owned, from the owner's queue.
    func ownerAnswer(_ id: SubjectID) -> (held: [UInt8]?, owned: [Int32]) {
        owner.queue.sync { (owner.explain(id), owner.ownedPartitions(of: settings.ticketsTopic)) }
    }

    /// Asks the worker to stop: intake stops, outputs are flushed, offsets committed, the group left.
    public func stop() { lock.withLock { stopRequested = true } }

    /// Calls `body` once the worker has stopped (at once if it has), with the failure if any.
    public func whenStopped(_ body: @escaping @Sendable (Result<Void, WorkerFailure>) -> Void) {
        let done: Result<Void, WorkerFailure>? = lock.withLock {
            if finished == nil { waiters.append(body) }
            return finished
        }
        if let done { body(done) }
    }

    /// Blocks until the worker has stopped.
    public func waitUntilStopped() -> Result<Void, WorkerFailure> {
        let s = DispatchSemaphore(value: 0)
        let box = ResultBox()
        whenStopped { r in box.set(r); s.signal() }
        s.wait()
        return box.get()
    }

    private var shouldStop: Bool { lock.withLock { stopRequested || failure != nil } }

    /// A reload waiting for the poll thread.
    private struct PendingReload {
        var policy: Policy
        var calendar: BusinessCalendar
        var done: @Sendable (Result<ReloadSummary, ReloadRefusal>) -> Void
    }

    /// Puts a new policy and calendar in force on every owned partition, without a restart.
    ///
    /// Applied by the poll thread between two polls, so no partition is being restored meanwhile;
    /// every held subject is then evaluated again under the new files (see
    /// ``SLATracker/reload(policy:calendar:)``): deadlines that moved are rescheduled, alarms they
    /// make premature withdrawn, waiting clocks started. `done` runs once all are. A calendar in
    /// another time zone is refused: instants already published are local to the running zone.
    public func reload(policy: Policy, calendar: BusinessCalendar,
                       done: @escaping @Sendable (Result<ReloadSummary, ReloadRefusal>) -> Void) {
        guard calendar.zone.identifier == outputs.calendar.zone.identifier else {
            done(.failure(ReloadRefusal("the calendar's zone \(calendar.zone.identifier) differs from the running zone \(outputs.calendar.zone.identifier); a zone change needs a restart")))
            return
        }
        let replaced = lock.withLock { () -> PendingReload? in
            defer { pendingReload = PendingReload(policy: policy, calendar: calendar, done: done) }
            return pendingReload
        }
        replaced?.done(.failure(ReloadRefusal("superseded by a later reload before it was applied")))
    }

    /// Applies a reload asked for since the last turn (on the poll thread).
    private func applyPendingReload() {
        guard let r = lock.withLock({ () -> PendingReload? in defer { pendingReload = nil }; return pendingReload }) else { return }
        policy = r.policy
        let done = r.done
        owner.queue.async { [owner] in owner.reload(policy: r.policy, calendar: r.calendar) { done(.success($0)) } }
    }

    /// Records handled per hop to the owner's queue: about a millisecond of work.
    static let sliceSize = 64

    private func fail(_ f: WorkerFailure) {
        lock.withLock { if failure == nil { failure = f } }
        logger.critical("worker failed", metadata: ["kind": "\(f.kind.rawValue)", "reason": "\(f)"])
    }

    // MARK: - The poll thread

    private func pollLoop() {
        var lastCheckpoint = Date(), lastStatus = Date.distantPast
        let interval = Double(settings.commitInterval.milliseconds) / 1000
        do {
            while !shouldStop {
                observers.forEach { $0.workerLoopTurned() }
                applyPendingReload()
                owner.metrics.producerQueue.record(producer.queued)
                if Date().timeIntervalSince(lastStatus) >= 5 {
                    let s = stats
                    observers.forEach { $0.workerStatus(s) }
                    lastStatus = Date()
                }
                let records = try consumer.poll(maxRecords: settings.batchSize, timeoutMilliseconds: 100)
                // Records go to the owner in slices, so a timer that falls due meanwhile waits
                // behind one slice, not behind the whole batch; the last hop also returns what
                // the loop must know.
                var start = 0
                while records.count - start > Self.sliceSize {
                    owner.queue.sync { owner.process(records[start..<(start + Self.sliceSize)]) }
                    start += Self.sliceSize
                }
                let backlog = owner.queue.sync { () -> [TopicPartition] in
                    if start < records.count { owner.process(records[start...]) }
                    return owner.backlogPartitions
                }
                if let failed = emitter.failure { throw failed }
                if !backlog.isEmpty, let positions = try? consumer.positions(backlog) {
                    owner.queue.sync { owner.backlogPositions(positions) }
                }
                if Date().timeIntervalSince(lastCheckpoint) >= interval, !shouldStop {
                    try checkpoint()
                    lastCheckpoint = Date()
                }
            }
        } catch let f as WorkerFailure {
            fail(f)
        } catch {
            fail(WorkerFailure(.consumer, "consumer: \(error)", underlying: error))
        }
        let failed = lock.withLock { failure }
        if failed == nil { shutDown() }
        if let r = lock.withLock({ () -> PendingReload? in defer { pendingReload = nil }; return pendingReload }) {
            r.done(.failure(ReloadRefusal("the worker stopped before it could apply the new files")))
        }
        outages.stop()
        let result: Result<Void, WorkerFailure> = lock.withLock { failure.map { .failure($0) } ?? .success(()) }
        // After a failure nothing more is committed (the changelog and offsets stay at the last
        // good checkpoint); the consumer and producer are released when the worker is.
        let callbacks = lock.withLock { () -> [@Sendable (Result<Void, WorkerFailure>) -> Void] in
            finished = result
            defer { waiters.removeAll() }
            return waiters
        }
        callbacks.forEach { $0(result) }
    }

    /// Graceful stop within the configured bound: timers stop, a last checkpoint, leave the
    /// group (its revoke checkpoints again and drops the state), flush the producer.
    private func shutDown() {
        let deadline = Date(timeIntervalSinceNow: Double(settings.shutdownTimeout.milliseconds) / 1000)
        func remainingMilliseconds() -> Int32 { Int32(max(1, min(Double(Int32.max), deadline.timeIntervalSinceNow * 1000))) }
        logger.info("worker stopping")
        observers.forEach { $0.workerStopping() }
        owner.queue.sync { owner.stopTimers() }
        do {
            try checkpoint(timeout: Double(remainingMilliseconds()) / 1000)
            try consumer.close(timeoutMilliseconds: remainingMilliseconds())
            if let f = lock.withLock({ failure }) { throw f }
            try producer.close(timeoutMilliseconds: remainingMilliseconds())
            logger.info("worker stopped", metadata: ["checkpoints": "\(stats.checkpoints)"])
        } catch let f as WorkerFailure {
            fail(f)
        } catch {
            fail(WorkerFailure(.shutdown, "shutdown did not finish within \(settings.shutdownTimeout): \(error)", underlying: error))
        }
    }

    /// Makes everything processed so far durable, then commits it (see the type's documentation).
    private func checkpoint(dropping partitions: Set<TopicPartition> = [], timeout: TimeInterval? = nil) throws(WorkerFailure) {
        let started = Date()
        let cp = owner.queue.sync { owner.checkpoint(dropping: partitions) }
        // Every output emitted before the snapshot is numbered once the emitter has drained.
        var last = emitter.drain()
        let wait = timeout ?? deliveryWait
        // Waiting for the broker is progress, not a stuck loop: the watchdog keeps being fed.
        let tick: @Sendable () -> Void = { [observers] in observers.forEach { $0.workerLoopTurned() } }
        // Rollups are encoded here, not on the owner's queue (timers wait behind that queue);
        // what they publish is delivered before the state that holds it.
        let rolled = cp.rollups.records()
        for r in rolled.publish {
            last = ledger.send(r, via: producer, what: "rollup \(String(decoding: r.key ?? [], as: UTF8.self))").seq
        }
        try ledger.waitDelivered(upTo: last, timeout: wait, tick: tick)
        for r in [rolled.state, cp.changelog].joined() {
            last = ledger.send(r, via: producer, what: "changelog record of \(r.topic)[\(r.partition ?? -1)]").seq
        }
        try ledger.waitDelivered(upTo: last, timeout: wait, tick: tick)
        defer { for tp in partitions { lastCommitted[tp] = nil } }
        let changed = cp.offsets.filter { lastCommitted[$0.key] != $0.value }
        guard !changed.isEmpty else { return }
        do throws(KafkaError) {
            try consumer.commit(changed)
            lastCommitted.merge(changed) { $1 }
            let ms = Int(Date().timeIntervalSince(started) * 1000)
            owner.metrics.commitLatency.record(Double(ms) / 1000)
            observers.forEach { $0.workerCommitted(milliseconds: ms) }
        } catch {
            // Not fatal: the records are reprocessed after the next move, and dropped as duplicates.
            logger.warning("commit failed; it is retried at the next checkpoint", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Partition hand-off (called on the poll thread, through PartitionHandOff)

    fileprivate func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        guard lock.withLock({ failure == nil }) else { return }
        let started = Date()
        observers.forEach { $0.workerRestoring(partitions) }
        do {
            let building = RestoredStatesBuilder(policy: policy, outcomesTopic: settings.outcomesTopic)
            var inputOf: [TopicPartition: TopicPartition] = [:]
            for tp in partitions {
                guard let changelog = outputs.changelog(ofInput: tp.topic) else { continue }
                inputOf[TopicPartition(changelog, tp.partition)] = tp
            }
            let count = try reader.readToEnd(Array(inputOf.keys).sorted(), timeoutMilliseconds: 120_000) { batch in
                observers.forEach { $0.workerLoopTurned() }
                building.add(batch.compactMap { r in
                    guard let input = inputOf[r.topicPartition], let key = r.key else { return nil }
                    return (r.value, String(decoding: key, as: UTF8.self), input)
                })
            }
            let states = building.finished()
            let readMs = Int(Date().timeIntervalSince(started) * 1000)
            // What arrived before we owned the partitions (downtime, or after the last commit)
            // is read before their timers may fire.
            let committed = try consumer.committed(partitions, timeoutMilliseconds: 10_000)
            var backlog: [TopicPartition: Int64] = [:]
            for (tp, (low, high)) in try consumer.watermarks(partitions, timeoutMilliseconds: 30_000) {
                let start = max(committed[tp].flatMap { $0 >= 0 ? $0 : nil } ?? low, low)
                if start < high { backlog[tp] = high }
            }
            let adoptStarted = Date()
            owner.queue.sync { owner.adopt(partitions, states: states, backlog: backlog) }
            let adoptMs = Int(Date().timeIntervalSince(adoptStarted) * 1000)
            try consumer.resume(partitions)
            lock.withLock { ready = true }
            let ms = Int(Date().timeIntervalSince(started) * 1000)
            owner.metrics.restoreDuration.record(Double(ms) / 1000)
            observers.forEach { $0.workerRestored(partitions, milliseconds: ms) }
            logger.info("partitions restored", metadata: [
                "partitions": "\(partitions)", "changelog_records": "\(count)",
                "milliseconds": "\(ms)", "changelog_read_milliseconds": "\(readMs)",
                "adopt_milliseconds": "\(adoptMs)",
            ])
        } catch {
            fail(WorkerFailure(.restore, "restore of \(partitions) failed: \(error)", underlying: error))
        }
    }

    fileprivate func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        let set = Set(partitions)
        if lock.withLock({ failure != nil }) {
            // Nothing more is committed after a failure; the state is simply dropped.
            _ = owner.queue.sync { owner.checkpoint(dropping: set) }
            return
        }
        do {
            try checkpoint(dropping: set)
            observers.forEach { $0.workerRevoked(partitions) }
            logger.info("partitions handed over", metadata: ["partitions": "\(partitions)"])
        } catch {
            fail(error)
        }
    }
}

/// The consumer's listener: forwards to the worker without keeping it alive (the worker owns
/// the consumer, whose listener reference is strong; a direct one would be a cycle).
private final class PartitionHandOff: RebalanceListener, @unchecked Sendable {
    // @unchecked: set once right after the consumer is made, before it is subscribed.
    weak var worker: SLAWorker?
    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) { worker?.partitionsAssigned(partitions, consumer: consumer) }
    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) { worker?.partitionsRevoked(partitions, consumer: consumer) }
}

/// Carries a result from a callback to a waiting thread.
private final class ResultBox: @unchecked Sendable {
    // @unchecked: written once before the semaphore is signalled, read after it.
    private var value: Result<Void, WorkerFailure> = .success(())
    func set(_ r: Result<Void, WorkerFailure>) { value = r }
    func get() -> Result<Void, WorkerFailure> { value }
}
