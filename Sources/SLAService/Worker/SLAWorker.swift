// The daemon's worker: its parts wired together, and what the rest of the daemon may ask of it.

import Foundation
import Logging
import SLACore
import SLAKafka

/// One slawatch worker: a member of the consumer group that keeps the SLA clocks of the
/// partitions it owns.
///
/// A dedicated thread polls the consumer (`+Polling`); records and timer expiries are handled
/// by the ``SubjectOwners``, each on its own queue. The guarantee is at-least-once with deterministic
/// event ids: a checkpoint (``CheckpointSequence``) waits for every output sent so far to be
/// delivered, then writes the changed subjects' states to the changelog and waits for those,
/// and only then commits the input offsets. A crash can repeat outputs (with identical
/// `event_id`s), never lose one.
///
/// Partition moves are hand-offs (``PartitionHandOver``): an assigned partition stays paused
/// until its changelog partition is read and its timers rebuilt; a revoked one is
/// checkpointed and dropped before the group moves it.
public final class SLAWorker: @unchecked Sendable {
    // @unchecked: `consumer`, `checkpoints` and `observers` are used only on the poll thread
    // (observers are added before start); `owner` hops onto its own queue; `lifecycle` and
    // `reloads` lock themselves; `ticketPartitions` is guarded by `lock`.
    let settings: WorkerSettings
    let outputs: OutputTopics
    let reloads = ReloadMailbox()
    let ledger: DeliveryLedger
    let producer: KafkaProducer
    let emitter: OutputEmitter
    var consumer: KafkaConsumer!
    let owner: SubjectOwners
    let outages: GlobalOutageTable
    let handOver: PartitionHandOver
    let kafka: KafkaConfig
    let clock: any SLAClock
    let logger: Logger
    let lifecycle = WorkerLifecycle()
    let thread = PollThread(name: "slawatch-worker-poll")
    var checkpoints: CheckpointSequence!
    var observers: [any WorkerObserver] = []
    private let lock = NSLock()
    /// Partitions of the tickets topic, known once started (to say where a ticket not held lives).
    private var ticketPartitions: Int32 = 0
    /// How long a checkpoint waits for delivery reports (librdkafka's own give-up is its delivery timeout).
    let deliveryWait: TimeInterval

    /// A worker; nothing connects until ``start()``.
    public init(config: SlawatchConfig, policy: Policy, calendar: BusinessCalendar,
                clock: any SLAClock = SystemClock(), logger: Logger = Logger(label: "slawatch.worker")) throws(KafkaError) {
        settings = config.worker
        kafka = config.kafka
        self.clock = clock
        self.logger = logger
        let budget = RecordBudget(kafka: config.kafka.producerRole, deadLetterTopic: config.worker.deadLetterTopic)
        outputs = OutputTopics(settings: config.worker, calendar: calendar, recordLimit: budget.maxBytes)
        let ledger = DeliveryLedger(budget: budget) { [logger] topic, what, size in
            WorkerMetrics.oversizedRecord(topic: topic)
            logger.error("output record over message.max.bytes; a dead letter names it instead", metadata: [
                "record": "\(what)", "topic": "\(topic)", "bytes": "\(size)", "message_max_bytes": "\(budget.maxBytes)",
            ])
        }
        self.ledger = ledger
        producer = try KafkaProducer(config: config.kafka.producerRole, numberedDeliveries: { ledger.delivered($0, $1) })
        emitter = OutputEmitter(outputs: outputs, producer: producer, ledger: ledger)
        deliveryWait = Double(config.kafka.deliveryTimeoutMilliseconds) / 1000 + 30
        outages = try GlobalOutageTable(config: config.kafka.readerRole, topic: config.worker.outagesTopic, logger: logger)
        let sums = GaugeSums()
        let tracker = SLATracker(policy: policy, calendar: calendar,
                                 limits: TrackerLimits(maxHistory: config.worker.maxHistory, maxStateBytes: budget.maxStateBytes))
        owner = SubjectOwners(count: config.worker.ownerCount, catchUpRate: config.worker.catchUpRate) { [outages, outputs, emitter] i, rate in
            SubjectOwner(index: i, clock: clock, tracker: tracker, outages: outages, outputs: outputs, emitter: emitter,
                         catchUpRate: rate, metrics: WorkerMetrics(policy: policy, owner: i, sums: sums), logger: logger)
        }
        // An outage entered after the fault tickets it covers links those this instance holds.
        outages.onChange = { [owner] feeders, areas in owner.relinkSoon(feeders: feeders, areas: areas) }
        handOver = PartitionHandOver(reader: try PartitionReader(config: config.kafka.readerRole), outputs: outputs, owner: owner,
                                     lifecycle: lifecycle, policy: policy, clock: clock, logger: logger)
        let lag = ConsumerLagGauges()
        let skipped = SkippedRecords(topics: [config.worker.ticketsTopic, config.worker.outagesTopic, config.worker.outcomesTopic],
                                     outcomesTopic: config.worker.outcomesTopic, logger: logger)
        consumer = try KafkaConsumer(config: config.kafka.consumerRole, listener: handOver, offsetReset: { skipped.record($0) }) {
            lag.update(statisticsJSON: $0)
        }
        checkpoints = CheckpointSequence(ports: KafkaCheckpointPorts(
            emitter: emitter, ledger: ledger, producer: producer, consumer: { [unowned self] in consumer },
            tick: { [weak self] in self?.observers.forEach { $0.workerLoopTurned() } }))
        // The listener is held by the consumer, which the worker holds: it reaches back weakly.
        handOver.checkpoint = { [weak self] (dropping) throws(WorkerFailure) in try self?.checkpoint(dropping: dropping) }
        handOver.observers = { [weak self] in self?.observers ?? [] }
        handOver.fail = { [weak self] in self?.fail($0) }
    }

    /// Adds an observer of the worker's life (health, systemd, metrics); call before ``start()``.
    public func add(observer: any WorkerObserver) { observers.append(observer) }

    /// The counters now.
    public var stats: WorkerStats {
        var s = owner.snapshot()
        s.oversizedRecords = ledger.oversizedRecords
        return s
    }

    /// True once the first assignment has been restored and resumed (or the worker runs with
    /// none yet after joining), until it is asked to stop or fails.
    public var isReady: Bool { lifecycle.isServing }

    /// Checks the topics, joins the group and starts the poll thread. Throws when a topic is
    /// missing or a changelog's partition count differs from its input's.
    public func start() throws {
        let topics = try KafkaAdmin(config: kafka.producerRole).describeTopics(timeoutMilliseconds: 15_000)
        try TopicCheck(settings: settings).verify(topics)
        lock.withLock { ticketPartitions = topics[settings.ticketsTopic]?.partitions ?? 0 }
        // Rule 1 needs every known outage before the first fault ticket is judged.
        try outages.start(partitions: topics[settings.outagesTopic]?.partitions ?? 0)
        try producer.prepare(topics: settings.topics(where: \.isProduced), timeoutMilliseconds: 15_000)
        // Outcomes are the input of the second stage, the rollups: same group, same hand-offs.
        try consumer.subscribe(settings.topics(where: \.isGroupInput))
        owner.start()
        thread.start { [self] _ in pollLoop() }
        logger.info("worker started", metadata: ["group": "\(settings.groupId)", "inputs": "\(settings.ticketsTopic), \(settings.outagesTopic)"])
    }

    /// The tickets topic's partition count (0 before ``start()``).
    var ticketPartitionCount: Int32 { lock.withLock { ticketPartitions } }

    /// A subject's explanation if held, and the tickets topic's partitions owned.
    func ownerAnswer(_ id: SubjectID) -> (held: [UInt8]?, owned: [Int32]) {
        owner.answer(id, partitionsOf: settings.ticketsTopic)
    }

    /// Asks the worker to stop: intake stops, outputs are flushed, offsets committed, the group left.
    public func stop() { lifecycle.requestStop() }

    /// Calls `body` once the worker has stopped (at once if it has), with the failure if any.
    public func whenStopped(_ body: @escaping @Sendable (Result<Void, WorkerFailure>) -> Void) {
        lifecycle.whenStopped(body)
    }

    /// Blocks until the worker has stopped.
    public func waitUntilStopped() -> Result<Void, WorkerFailure> {
        let s = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Void, WorkerFailure> = .success(())
        lifecycle.whenStopped { r in result = r; s.signal() }
        s.wait()
        return result
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
        reloads.post(.init(policy: policy, calendar: calendar, done: done))
    }
}
