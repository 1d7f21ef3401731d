// The state of the partitions one worker owns: tracker, timers and pending changelog writes.

import Dispatch
import Logging
import SLACore
import SLAKafka

/// Holds the tickets and outages of the partitions a worker owns and runs their clocks.
///
/// Everything happens on one serial queue: input records, timer expiries and partition moves,
/// so a subject's state never races. Outputs are sent as they are produced; the changelog
/// state of each changed subject waits for the next checkpoint (see ``SLAWorker``).
final class SubjectOwner: @unchecked Sendable {
    // @unchecked: every stored var is touched only on `queue` (checked by dispatchPrecondition).
    let queue: DispatchQueue
    private let clock: any SLAClock
    private let outputs: OutputTopics
    private let emitter: OutputEmitter
    /// What this turn emitted, handed to the emitter in one batch when the turn ends.
    private var pending: [OutputEmitter.Output] = []
    private let logger: Logger
    let metrics: WorkerMetrics
    private var tracker: SLATracker
    private let outages: any OutageLookup
    private var slots = SubjectSlots()
    private var driver: WheelDriver<UInt32>!
    private var gate: FiringGate<SubjectID>
    private var gateArmed = false
    /// The outcomes partitions' rollups (the daemon's second stage).
    private let rollups: RollupStage
    /// The input partition each held subject belongs to (its changelog partition too).
    private var partitionOf: [SubjectID: Int32] = [:]
    /// Subjects whose stored state is behind (written at the next checkpoint).
    private var dirty = Set<SubjectID>()
    /// The partitions owned, their offsets, backlogs and what a backlog holds back. (A subject
    /// of a backlog partition evaluated under new files now could raise alarms whose stop waits
    /// in the backlog: its re-evaluation is held too.)
    private var ownership = OwnedPartitions()
    private(set) var stats = WorkerStats()

    init(queue: DispatchQueue, clock: any SLAClock, tracker: SLATracker, outages: any OutageLookup & Sendable, outputs: OutputTopics,
         emitter: OutputEmitter, catchUpRate: Int, logger: Logger) {
        self.queue = queue
        self.clock = clock
        self.tracker = tracker
        self.outages = outages
        self.outputs = outputs
        self.emitter = emitter
        self.logger = logger
        metrics = WorkerMetrics(policy: tracker.policy)
        gate = FiringGate(rate: catchUpRate, now: MonotonicClock.milliseconds())
        rollups = RollupStage(outputs: outputs, calendar: outputs.calendar, rule: tracker.policy.scorecard,
                              retention: outputs.settings.rollupRetention, metrics: metrics)
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

    // MARK: - Partition moves

    /// Takes partitions over with the subjects restored from their changelogs (latest state per
    /// key; nil = deleted). `backlog` gives, for partitions with input not yet read (written
    /// while nobody owned them, or after the last commit), the offset that ends it.
    ///
    /// Until a partition's backlog is read, its events are applied at their own time and its
    /// timers are held: an alarm must not fire for a clock whose stopping event is already
    /// waiting in the input. Then the held timers fire through the catch-up gate, oldest first.
    func adopt(_ partitions: [TopicPartition], states: RestoredStates, backlog: [TopicPartition: Int64] = [:]) {
        dispatchPrecondition(condition: .onQueue(queue))
        let now = clock.now()
        // Room for every incoming subject at once: growing three tables of a million entries
        // step by step was a third of a restore's time.
        let incoming = partitions.reduce(0) { $0 + (states.subjects[$1]?.count ?? 0) }
        tracker.reserveCapacity(tracker.count + incoming)
        partitionOf.reserveCapacity(partitionOf.count + incoming)
        slots.reserveCapacity(slots.count + incoming)
        var running: [Int: Int] = [:]  // stage → restored subjects running it
        var waiting: [UnresolvedReason.Code: Int] = [:]
        var stale: [SubjectID] = []
        defer {
            metrics.runningRestored(running)
            metrics.waitingRestored(waiting)
            if !stale.isEmpty || ownership.heldEvaluationCount > 0 {
                logger.notice("restored states were evaluated under other files; they are evaluated again under this instance's",
                              metadata: ["subjects": "\(stale.count + ownership.heldEvaluationCount)",
                                         "policy": "\(tracker.files.policyVersion)", "calendar": "\(tracker.files.calendarVersion)"])
            }
            if !stale.isEmpty { reevaluateLater(stale) }
            // An outage may have been entered while nobody held these tickets.
            relink(tracker.unlinkedFaults)
        }
        for tp in partitions {
            ownership.adopt(tp, backlogEnd: backlog[tp])
            if tp.topic == outputs.settings.outcomesTopic {
                for (key, reason) in rollups.adopt(partition: tp.partition, states: states.rollups[tp] ?? [:]) {
                    stats.unreadableStates += 1
                    logger.error("rollup state unreadable; it is skipped", metadata: ["key": "\(key)", "partition": "\(tp)", "reason": "\(reason)"])
                }
                continue
            }
            guard let type = outputs.subjectType(ofInput: tp.topic) else { continue }
            for (key, stored) in states.subjects[tp] ?? [:] {
                let id = SubjectID(type, key)
                let state: SubjectState
                switch stored {
                case .deleted: continue
                case .unreadable(let error):
                    stats.unreadableStates += 1
                    logger.error("changelog state unreadable; the subject is skipped", metadata: ["subject": "\(id)", "partition": "\(tp)", "reason": "\(error)"])
                    continue
                case .state(let s): state = s
                }
                tracker.restore(id, state: state)
                partitionOf[id] = tp.partition
                stats.restored += 1
                for stage in state.runningStages { running[stage, default: 0] += 1 }
                for code in state.waitingReasons { waiting[code, default: 0] += 1 }
                // A record of the version-2 format has no due time: evaluate it now.
                arm(id, at: state.scheduledAt ?? now)
                // One evaluated under other files is evaluated under ours (rescheduled, retracted),
                // in slices, once its partition's backlog is read.
                if tracker.evaluatedUnderOtherFiles(state) {
                    if ownership.inBacklog(tp) { ownership.holdEvaluation(id, of: tp) } else { stale.append(id) }
                }
            }
        }
    }

    /// Gives partitions up: returns the changelog records still owed (for every owned
    /// partition, so nothing written depends on what is dropped) and the offsets to commit,
    /// then drops the given partitions' subjects and timers.
    func checkpoint(dropping partitions: Set<TopicPartition> = []) -> Checkpoint {
        dispatchPrecondition(condition: .onQueue(queue))
        // Rollups are taken as values here and encoded by the caller, off this queue.
        let rolled = rollups.take(now: clock.now())
        var records: [ProducerRecord] = []
        records.reserveCapacity(dirty.count)
        for id in dirty {
            guard let p = partitionOf[id] else { continue }
            let state = tracker.encodedState(of: id)
            records.append(outputs.changelogRecord(id, partition: p, state: state))
            if state == nil { partitionOf[id] = nil }
        }
        dirty.removeAll(keepingCapacity: true)
        let cp = Checkpoint(rollups: rolled, changelog: records, offsets: ownership.processed)
        if !partitions.isEmpty {
            for (id, p) in partitionOf where partitions.contains(TopicPartition(outputs.input(of: id.type), p)) {
                metrics.clocksChanged(from: clocks(of: id), to: SubjectClocks())
                tracker.drop(id)
                slots.disarm(id) { driver.cancel($0) }
                partitionOf[id] = nil
            }
            for tp in partitions {
                ownership.drop(tp)
                if tp.topic == outputs.settings.outcomesTopic { rollups.drop(partition: tp.partition) }
            }
        }
        stats.checkpoints += 1
        return cp
    }

    // MARK: - Records

    /// Decodes and applies a batch of input records, sending outputs and dead letters.
    func process(_ records: ArraySlice<ConsumerRecord>) {
        dispatchPrecondition(condition: .onQueue(queue))
        defer { emitPending() }
        for r in records {
            // A record fetched before its partition was revoked is not ours any more.
            guard ownership.owns(r.topicPartition) else { continue }
            stats.consumed += 1
            metrics.consumed(topic: r.topicPartition.topic)
            ownership.processed(r.topicPartition, offset: r.offset)
            guard let type = outputs.subjectType(ofInput: r.topicPartition.topic) else {
                if let reason = rollups.apply(r, now: clock.now()) {
                    metrics.decodeError(topic: r.topicPartition.topic)
                    deadLetter(r, reason: reason)
                }
                if ownership.endsBacklog(r.topicPartition, offset: r.offset) { release(ownership.endBacklog(r.topicPartition)) }
                continue
            }
            let event: InboundEvent
            do throws(EventRejection) {
                let bytes = r.value ?? []
                event = type == .ticket ? .ticket(try EventDecoder.ticket(bytes)) : .outage(try EventDecoder.outage(bytes))
            } catch {
                metrics.decodeError(topic: r.topicPartition.topic)
                deadLetter(r, reason: error.description)
                continue
            }
            // State lives with the partition of the subject's key: a record keyed otherwise
            // would split a subject's history across owners.
            let key = r.key.map { String(decoding: $0, as: UTF8.self) }
            guard key == event.subject.id else {
                let field = type == .ticket ? "ticket_id" : "outage_id"
                deadLetter(r, reason: "key: \(key.map { JSONText.quoted($0) } ?? "missing"), but the record's \(field) is \(JSONText.quoted(event.subject.id)); events are keyed by \(field)")
                continue
            }
            let step: TrackerStep
            let before = clocks(of: event.subject)
            let wall = clock.now()
            // In a backlog the event is judged at its own time: what it stops has not fallen due
            // "now", whatever the wall clock says.
            let inBacklog = ownership.inBacklog(r.topicPartition)
            do throws(EventRejection) {
                step = try tracker.apply(event, now: inBacklog ? min(event.occurredAt, wall) : wall, outages: outages)
            } catch {
                deadLetter(r, reason: error.description)
                continue
            }
            metrics.clocksChanged(from: before, to: clocks(of: event.subject))
            if case .refused(let why) = step.disposition {
                // The subject grew past what may be kept: its clocks stop, the event goes to the dead letters.
                stats.refusedSubjects += 1
                metrics.refusedSubject(event.subject.type)
                logger.error("subject refused; its clocks are stopped and its later events dead-lettered", metadata: [
                    "subject": "\(event.subject)", "source": "\(r.topicPartition)@\(r.offset)", "reason": "\(why)",
                ])
                partitionOf[event.subject] = r.topicPartition.partition
                deadLetter(r, reason: why)
            }
            if step.disposition == .duplicate { stats.duplicates += 1; metrics.duplicates.increment() }
            if step.disposition == .applied { partitionOf[event.subject] = r.topicPartition.partition }
            carryOut(step.actions, detectedAt: wall)
            if ownership.endsBacklog(r.topicPartition, offset: r.offset) { release(ownership.endBacklog(r.topicPartition)) }
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

    /// How a held subject's deadlines were worked out (``SLACore/DeadlineExplanation``), as
    /// JSON; nil when it is not held here.
    func explain(_ id: SubjectID) -> [UInt8]? {
        dispatchPrecondition(condition: .onQueue(queue))
        return tracker.explain(id)?.json(calendar: outputs.calendar)
    }

    /// The input partitions of a topic owned now.
    func ownedPartitions(of topic: String) -> [Int32] {
        dispatchPrecondition(condition: .onQueue(queue))
        return ownership.partitions(of: topic)
    }

    /// Links the held fault tickets on these feeders and areas that an outage the outage table
    /// just took now covers (rule 1, whatever the arrival order).
    func relink(feeders: Set<String>, areas: Set<String>) {
        dispatchPrecondition(condition: .onQueue(queue))
        relink(tracker.linkCandidates(feeders: feeders, areas: areas))
    }

    private func relink(_ ids: [SubjectID]) {
        guard !ids.isEmpty else { return }
        defer { emitPending() }
        let now = clock.now()
        for id in ids {
            let before = clocks(of: id)
            let actions = tracker.relink(id, now: now, outages: outages)
            guard !actions.isEmpty else { continue }
            stats.linkedLate += 1
            metrics.linkedLate.increment()
            carryOut(actions)
            metrics.clocksChanged(from: before, to: clocks(of: id))
        }
    }

    /// Ends the backlog of partitions whose consumer position has reached its end (the last
    /// records may be gone: transaction markers, deleted segments).
    func backlogPositions(_ positions: [TopicPartition: Int64]) {
        dispatchPrecondition(condition: .onQueue(queue))
        for released in ownership.positions(positions) { release(released) }
    }

    /// Partitions still reading their backlog.
    var backlogPartitions: [TopicPartition] { ownership.backlogPartitions }

    /// What a backlog's end releases: re-evaluations, and held timers through the catch-up gate.
    private func release(_ r: OwnedPartitions.Released) {
        if !r.evaluations.isEmpty { reevaluateLater(r.evaluations) }
        guard !r.timers.isEmpty else { return }
        gate.enqueue(r.timers)
        fireAllowed()
    }

    private func deadLetter(_ r: ConsumerRecord, reason: String) {
        stats.deadLettered += 1
        metrics.deadLettered(topic: r.topicPartition.topic)
        logger.warning("record dead-lettered", metadata: ["source": "\(r.topicPartition)@\(r.offset)", "reason": "\(reason)"])
        pending.append(.record(outputs.deadLetter(r, reason: reason), what: "dead letter of \(r.topicPartition)@\(r.offset)"))
    }

    // MARK: - Timers

    private func expired(_ batch: [ExpiredTimer<UInt32>]) {
        // Lateness of the timer itself (fired − deadline); the catch-up gate may add to it.
        let now = clock.now().milliseconds
        for e in batch { metrics.lateness.record(Double(now - e.deadline) / 1000) }
        var ready: [SubjectID] = []
        ready.reserveCapacity(batch.count)
        for e in batch {
            guard let id = slots.fired(e.payload) else { continue }
            // Only while some partition reads its backlog does a timer need its partition looked up.
            if ownership.anyInBacklog, let p = partitionOf[id], case let tp = TopicPartition(outputs.input(of: id.type), p), ownership.inBacklog(tp) {
                ownership.holdTimer(id, due: e.deadline, of: tp)
            } else {
                ready.append(id)
            }
        }
        gate.enqueue(ready)
        fireAllowed()
    }

    private func fireAllowed() {
        defer { emitPending() }
        let (due, retry) = gate.take(now: MonotonicClock.milliseconds())
        let now = clock.now()
        for id in due {
            let before = clocks(of: id)
            carryOut(tracker.fire(id, now: now).actions)
            metrics.clocksChanged(from: before, to: clocks(of: id))
        }
        if let retry, !gateArmed {
            gateArmed = true
            queue.asyncAfter(deadline: .now() + .milliseconds(retry)) { [weak self] in
                self?.gateArmed = false
                self?.fireAllowed()
            }
        }
    }

    private func arm(_ id: SubjectID, at t: Timestamp) {
        slots.arm(id, cancel: { driver.cancel($0) }, schedule: { driver.schedule(at: t, $0) })
    }

    // MARK: - Actions

    private func carryOut(_ actions: [TrackerAction], detectedAt: Timestamp? = nil) {
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

    /// A subject's running and waiting clocks, for the gauges.
    private func clocks(of id: SubjectID) -> SubjectClocks {
        guard let s = tracker.state(of: id) else { return SubjectClocks() }
        return SubjectClocks(running: s.runningStages, waiting: s.waitingReasons)
    }

    // MARK: - Reload

    /// Subjects re-evaluated per hop to the queue during a reload: timers wait behind one slice.
    static let reloadSlice = 2_000

    /// Puts a new policy and calendar in force and re-evaluates every held subject under them,
    /// a slice per turn of the queue, so timers keep firing meanwhile (a subject a timer reaches
    /// first is evaluated under the new files then). `done` runs on the queue when all are.
    func reload(policy: Policy, calendar: BusinessCalendar, done: @escaping @Sendable (ReloadSummary) -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        let old = tracker.files
        let stagesChanged = tracker.policy.stages.map(\.id) != policy.stages.map(\.id)
        tracker.reload(policy: policy, calendar: calendar)
        if stagesChanged { recountClocks() }
        // Subjects of a partition still reading its backlog wait for it (`OwnedPartitions.holdEvaluation`).
        var now: [SubjectID] = []
        now.reserveCapacity(tracker.count)
        for id in tracker.subjectIDs {
            if ownership.anyInBacklog, let p = partitionOf[id], case let tp = TopicPartition(outputs.input(of: id.type), p), ownership.inBacklog(tp) {
                ownership.holdEvaluation(id, of: tp)
            } else {
                now.append(id)
            }
        }
        reevaluate(now[...], summary: ReloadSummary(from: old, to: tracker.files), done: done)
    }

    /// Evaluates subjects again under the files in force, in slices on later turns of the queue.
    private func reevaluateLater(_ ids: [SubjectID]) {
        let files = tracker.files
        queue.async { [self] in
            reevaluate(ids[...], summary: ReloadSummary(from: files, to: files)) { [logger] s in
                logger.info("states restored from other files evaluated again", metadata: [
                    "subjects": "\(s.subjects)", "rescheduled": "\(s.rescheduled)", "retracted": "\(s.retracted)", "started": "\(s.started)",
                ])
            }
        }
    }

    /// One slice of a reload; the rest follows in a later turn of the queue.
    private func reevaluate(_ ids: ArraySlice<SubjectID>, summary: ReloadSummary, done: @escaping @Sendable (ReloadSummary) -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        var summary = summary
        let now = clock.now()
        defer { emitPending() }
        for id in ids.prefix(Self.reloadSlice) {
            guard let state = tracker.state(of: id), tracker.needsReevaluation(state) else { continue }
            let before = clocks(of: id)
            let actions = tracker.fire(id, now: now).actions
            for case .emit(let e) in actions { summary.count(e.type) }
            carryOut(actions)
            metrics.clocksChanged(from: before, to: clocks(of: id))
            summary.subjects += 1
        }
        let rest = ids.dropFirst(Self.reloadSlice)
        if rest.isEmpty { done(summary); return }
        let final = summary
        queue.async { [self] in reevaluate(rest, summary: final, done: done) }
    }

    /// Counts every held subject's running and waiting clocks again (the policy's stages changed).
    private func recountClocks() {
        var running: [Int: Int] = [:], waiting: [UnresolvedReason.Code: Int] = [:]
        for id in tracker.subjectIDs {
            let c = clocks(of: id)
            for s in c.running { running[s, default: 0] += 1 }
            for w in c.waiting { waiting[w, default: 0] += 1 }
        }
        metrics.reset(policy: tracker.policy, running: running, waiting: waiting)
    }

    /// Hands what this turn emitted to the emitter, in order.
    private func emitPending() {
        guard !pending.isEmpty else { return }
        emitter.enqueue(pending)
        pending = []
    }
}

/// A subject's running clocks (stage indices) and waiting ones (their reasons), one entry per cycle.
struct SubjectClocks: Equatable {
    var running: [Int] = []
    var waiting: [UnresolvedReason.Code] = []
}

/// What a checkpoint must make durable before it commits (after the outputs emitted before
/// it, which ``OutputEmitter/drain()`` numbers).
struct Checkpoint: Sendable {
    /// The rollups changed up to the snapshot: published first, their state with the changelog.
    var rollups: RollupStage.Taken
    /// The changed subjects' states (and tombstones).
    var changelog: [ProducerRecord]
    /// Next offset per input partition, processed into those states.
    var offsets: [TopicPartition: Int64]
}
