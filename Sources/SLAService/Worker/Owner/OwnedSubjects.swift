// What the owner's queue holds: the tracker, the timers, the rollups and what each turn owes.

import Dispatch
import Logging
import SLACore
import SLAKafka

/// The state of the partitions one worker owns, confined to its ``SubjectOwner``'s queue.
///
/// Only the owner reaches it, and only on that queue (each entry point checks so); this type
/// is the room behind the door, split by protocol across its files: records
/// (`+Records`), partition moves (`+Moves`), timers and the backlog (`+Timers`), reloads and
/// late links (`+Reload`). Its members are internal so those files can share them; nothing
/// outside the owner holds an instance.
final class OwnedSubjects: @unchecked Sendable {
    // @unchecked: every stored var is touched only on `queue` (checked by dispatchPrecondition).
    let queue: DispatchQueue
    let clock: any SLAClock
    let outputs: OutputTopics
    let intake: RecordIntake
    let emitter: OutputEmitter
    /// What this turn emitted, handed to the emitter in one batch when the turn ends.
    var pending: [OutputEmitter.Output] = []
    let logger: Logger
    let metrics: WorkerMetrics
    var tracker: SLATracker
    let outages: any OutageLookup
    var slots = SubjectSlots()
    var driver: WheelDriver<UInt32>!
    var gate: FiringGate<SubjectID>
    var gateArmed = false
    /// The outcomes partitions' rollups (the daemon's second stage).
    let rollups: RollupStage
    /// The input partition each held subject belongs to (its changelog partition too).
    var partitionOf: [SubjectID: Int32] = [:]
    /// Subjects whose stored state is behind (written at the next checkpoint).
    var dirty = Set<SubjectID>()
    /// The partitions owned, their offsets, backlogs and what a backlog holds back. (A subject
    /// of a backlog partition evaluated under new files now could raise alarms whose stop waits
    /// in the backlog: its re-evaluation is held too.)
    var ownership = OwnedPartitions()
    var stats = WorkerStats()

    init(queue: DispatchQueue, clock: any SLAClock, tracker: SLATracker, outages: any OutageLookup & Sendable, outputs: OutputTopics,
         emitter: OutputEmitter, catchUpRate: Int, metrics: WorkerMetrics, logger: Logger) {
        self.queue = queue
        self.clock = clock
        self.tracker = tracker
        self.outages = outages
        self.outputs = outputs
        intake = RecordIntake(outputs: outputs)
        self.emitter = emitter
        self.logger = logger
        self.metrics = metrics
        gate = FiringGate(rate: catchUpRate, now: clock.elapsedMilliseconds())
        rollups = RollupStage(outputs: outputs, calendar: outputs.calendar, rule: tracker.policy.scorecard,
                              retention: outputs.settings.rollupRetention,
                              // Up to the commit interval every checkpoint takes: checkpoints come a
                              // little more or less than it apart, and an equal interval would skip some.
                              interval: outputs.settings.rollupInterval > outputs.settings.commitInterval ? outputs.settings.rollupInterval : .seconds(0),
                              metrics: metrics)
        driver = WheelDriver(queue: queue, clock: clock) { [weak self] expired in self?.expired(expired) }
    }

    /// Starts the timers.
    func start() {
        dispatchPrecondition(condition: .onQueue(queue))
        driver.start()
    }

    /// Stops the timers (shutdown): pending ones stay in the changelog for the next owner.
    func stopTimers() {
        dispatchPrecondition(condition: .onQueue(queue))
        driver.stop()
    }

    /// The counters now.
    func snapshot() -> WorkerStats {
        dispatchPrecondition(condition: .onQueue(queue))
        var s = stats
        s.subjects = tracker.count
        s.timers = driver.pending
        s.catchUpWaiting = gate.waiting
        s.partitions = ownership.owned.count
        s.rollupOutcomes = rollups.dispositions
        s.rollupRecords = rollups.published
        s.rollupCells = rollups.cells
        metrics.rollupCells.record(s.rollupCells)
        metrics.subjects.record(s.subjects)
        metrics.timers.record(s.timers)
        metrics.partitions.record(s.partitions)
        metrics.catchUpWaiting.record(s.catchUpWaiting)
        return s
    }

    /// How a held subject's deadlines were worked out (``SLACore/DeadlineExplanation``), as
    /// JSON; nil when it is not held here.
    func explain(_ id: SubjectID) -> [UInt8]? {
        dispatchPrecondition(condition: .onQueue(queue))
        return tracker.explain(id)?.json(calendar: outputs.calendar)
    }

    // MARK: - Actions

    /// Carries out what the tracker decided: events and outcomes to send, timers, state to write.
    func carryOut(_ actions: [TrackerAction], detectedAt: Timestamp? = nil) {
        for a in actions {
            switch a {
            case .emit(var e):
                // Judged at event time, noticed now.
                if let detectedAt { e.detectedAt = max(e.occurredAt, detectedAt) }
                stats.emitted[e.type.rawValue, default: 0] += 1
                metrics.emitted(e.type)
                pending.append(.event(e))
                if e.type == .unresolved {
                    logger.warning("stage cannot be timed; it waits for what it lacks", metadata: [
                        "subject": "\(e.subject)", "stage": "\(e.stage)", "reason": "\(e.reason ?? "")",
                        "missing": "\(e.missing ?? "")", "detail": "\(e.reasonText ?? "")",
                    ])
                }
            case .outcome(let o): countOutcome(o)
            case .schedule(let id, let at): arm(id, at: at)
            case .cancelTimer(let id): slots.disarm(id) { driver.cancel($0) }
            case .persist(let id): dirty.insert(id)
            case .forget(let id):
                slots.disarm(id) { driver.cancel($0) }
                dirty.insert(id)  // a tombstone at the next checkpoint
            }
        }
    }

    /// Queues an outcome the tracker counted. One that names no unit (an event of a kind no
    /// stage times keeps no history, so it has only its own fields) is counted under `-`, and said so.
    private func countOutcome(_ o: Outcome) {
        if o.unit == nil, o.chargedTo == nil {
            stats.unattributedOutcomes += 1
            metrics.unattributedOutcomes.increment()
        }
        pending.append(.outcome(o))
    }

    /// A subject's running and waiting clocks, for the gauges.
    func clocks(of id: SubjectID) -> SubjectClocks {
        guard let s = tracker.state(of: id) else { return SubjectClocks() }
        return SubjectClocks(running: s.runningStages, waiting: s.waitingReasons)
    }

    /// The input partition a held subject belongs to, when that partition is reading its backlog.
    func backlogPartition(of id: SubjectID) -> TopicPartition? {
        guard ownership.anyInBacklog, let p = partitionOf[id] else { return nil }
        let tp = TopicPartition(outputs.input(of: id.type), p)
        return ownership.inBacklog(tp) ? tp : nil
    }

    /// Hands what this turn emitted to the emitter, in order.
    func emitPending() {
        guard !pending.isEmpty else { return }
        emitter.enqueue(pending)
        pending = []
    }
}
