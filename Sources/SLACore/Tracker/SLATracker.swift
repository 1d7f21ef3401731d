// The SLA state machine: events and timer expiries in, actions out.

/// Runs every SLA clock of the policy over tickets and outages.
///
/// Given an event or a timer expiry and "now", it returns actions: emit, schedule or cancel
/// the subject's timer, persist or forget its state. It reads no clock and does no I/O, so the
/// daemon and `slawatch replay` share it and every rule is tested without a broker.
///
/// Each subject has at most one timer, armed for its next alarm (warning, overdue, an
/// escalation step) or for the moment its state may be dropped.
public struct SLATracker: Sendable {
    /// The policy in force.
    public let policy: Policy
    /// The calendar working-day limits use.
    public let calendar: BusinessCalendar
    /// How long a subject with no running clock and no terminal action is kept after its last event.
    public let retainIdle: TimeSpan
    private var subjects: [SubjectID: SubjectState] = [:]
    private var evaluator: StageEvaluator { StageEvaluator(policy: policy, calendar: calendar) }

    /// A tracker with no subjects.
    public init(policy: Policy, calendar: BusinessCalendar, retainIdle: TimeSpan = .days(60)) {
        self.policy = policy; self.calendar = calendar; self.retainIdle = retainIdle
    }

    /// Number of subjects held.
    public var count: Int { subjects.count }

    /// The state of one subject, if held.
    public func state(of id: SubjectID) -> SubjectState? { subjects[id] }

    /// The stored form of a subject's state, for the changelog; nil when the subject is not held.
    public func encodedState(of id: SubjectID) -> [UInt8]? {
        subjects[id].map { StateCodec.encode($0, policy: policy) }
    }

    /// Puts a stored subject back (changelog restore). Call ``fire(_:now:)`` afterwards to
    /// emit what fell due while nobody held it and to learn when its timer is due. Returns the
    /// state put back.
    @discardableResult
    public mutating func restore(_ id: SubjectID, from bytes: [UInt8]) throws(StateDecodingError) -> SubjectState {
        let state = try StateCodec.decode(bytes, policy: policy)
        restore(id, state: state)
        return state
    }

    /// Puts a subject back whose stored state was decoded already (``StateCodec/decode(_:policy:)``
    /// with this tracker's policy), as ``restore(_:from:)`` does.
    public mutating func restore(_ id: SubjectID, state: SubjectState) { subjects[id] = state }

    /// Makes room for `n` subjects in all (before a restore of many).
    public mutating func reserveCapacity(_ n: Int) { subjects.reserveCapacity(n) }

    /// Drops a subject without a trace (the partition moved to another instance).
    public mutating func drop(_ id: SubjectID) { subjects[id] = nil }

    /// The ids of all subjects held.
    public var subjectIDs: Dictionary<SubjectID, SubjectState>.Keys { subjects.keys }

    /// Applies an input event at `now`. A refused event changes nothing.
    public mutating func apply(_ event: InboundEvent, now: Timestamp,
                               outages: some OutageLookup = NoKnownOutages()) throws(EventRejection) -> TrackerStep {
        let id = event.subject
        guard var state = subjects[id] ?? (policy.times(event.kind) ? SubjectState(kind: event.kind) : nil) else {
            return TrackerStep(disposition: .untracked, actions: [])
        }
        guard state.kind == event.kind else {
            throw EventRejection(field: "kind", "\(JSONText.quoted(event.kind.rawValue)) differs from the \(id.type.rawValue)'s kind \(JSONText.quoted(state.kind.rawValue))")
        }
        let fact = Fact(event)
        if state.contains(eventHash: fact.eventHash) { return TrackerStep(disposition: .duplicate, actions: []) }
        state.insert(fact)
        if case .ticket(let t) = event, t.kind == .faultRepair, t.action == .created, state.linkedOutage == nil {
            let place = SubjectAttributes.of(state.facts, count: state.facts.count)
            state.linkedOutage = outages.activeOutage(feeder: place.feeder, area: place.area, at: t.occurredAt)
        }
        var actions = evaluate(id, &state, now: now)
        // After the emits, before the timer: the state written holds what was emitted.
        // (Cases are matched rather than compared: comparing would compare whole events.)
        let forgets = actions.contains { if case .forget = $0 { return true }; return false }
        if !forgets { actions.insert(.persist(id), at: actions.firstIndex { if case .emit = $0 { return false }; return true } ?? actions.count) }
        commit(id, state, forgets: forgets)
        return TrackerStep(disposition: .applied, actions: actions)
    }

    /// Runs the subject's timer at `now`: emits what fell due and arms the next alarm.
    public mutating func fire(_ id: SubjectID, now: Timestamp) -> TrackerStep {
        guard var state = subjects[id] else { return TrackerStep(disposition: .applied, actions: []) }
        state.scheduledAt = nil  // the timer that brought us here has fired
        var actions = evaluate(id, &state, now: now)
        let forgets = actions.contains { if case .forget = $0 { return true }; return false }
        if !forgets, actions.contains(where: { if case .emit = $0 { return true }; return false }) {
            actions.append(.persist(id))
        }
        commit(id, state, forgets: forgets)
        return TrackerStep(disposition: .applied, actions: actions)
    }

    private mutating func commit(_ id: SubjectID, _ state: SubjectState, forgets: Bool) {
        if forgets { subjects[id] = nil } else { subjects[id] = state }
    }

    /// Derives the cycles, emits what is due and not yet emitted, and re-arms the timer.
    private func evaluate(_ id: SubjectID, _ state: inout SubjectState, now: Timestamp) -> [TrackerAction] {
        let runs = evaluator.runs(of: state)
        var emits: [SLAEvent] = []
        var notices: [TrackerAction] = []
        var next: Timestamp?
        if let outage = state.linkedOutage, !state.linkEmitted, let created = state.facts.first(where: { $0.action == .created }) {
            var e = base(id, state, stage: "", cycle: 0, start: nil, type: .linked, at: created.time, now: now, attrs: SubjectAttributes.of(state.facts, count: state.facts.count))
            e.outageId = outage
            emits.append(e)
            state.linkEmitted = true
        }
        for run in runs {
            let stage = policy.stages[run.stage]
            var bits = state.bits(stage: run.stage, start: run.start)
            guard let deadline = run.deadline else {
                // Even an ended cycle stays open: a late event may still bring what it lacks,
                // and then its start and verdict are emitted as if it had come in order.
                if let reason = run.unresolved { notices.append(.unresolved(id, stage: stage.id, reason: reason)) }
                continue
            }
            func emit(_ flag: UInt32, _ type: SLAEventType, at: Timestamp, level: String? = nil, to: String? = nil) {
                guard bits & flag == 0 else { return }
                bits |= flag
                var e = event(id, state, run, stage, type, at: at, now: now)
                e.level = level; e.to = to
                if let level { e.eventId = SLAEvent.id(id, stage: stage.id, start: run.start, type: type, level: flag == StageMark.immediate ? level + "-immediate" : level) }
                emits.append(e)
            }
            // A judge-only stage (a return window) has no clock to show: only its verdict is news.
            if stage.alarms { emit(StageMark.started, .started, at: run.start) }
            for alarm in alarms(of: run, stage, deadline: deadline) {
                if alarm.at <= now {
                    emit(alarm.flag, alarm.type, at: alarm.at, level: alarm.level, to: alarm.to)
                } else if run.end == nil, bits & alarm.flag == 0 {
                    next = min(next ?? alarm.at, alarm.at)
                }
            }
            if bits != state.bits(stage: run.stage, start: run.start) { state.set(bits, stage: run.stage, start: run.start) }
            if let end = run.end, let verdict = run.verdict, stage.alarms || verdict != .stopped {
                let flag = StageMark.verdict(verdict)
                let last = state.verdict(stage: run.stage, start: run.start)
                if last.bits != flag || last.end != end.milliseconds {
                    let type: SLAEventType = verdict == .met ? .met : (verdict == .missed ? .missed : .stopped)
                    var e = event(id, state, run, stage, type, at: end, now: now)
                    // The end is part of a verdict's id, so a corrected verdict is a new event.
                    e.eventId += "@" + SLAEvent.compact(end)
                    emits.append(e)
                    state.setVerdict(flag, end: end, stage: run.stage, start: run.start)
                }
            }
        }
        // Same instant: an older cycle's news first (dispatch met before arrival started),
        // and within a cycle its start, then alarms, then the verdict.
        emits.sort { a, b in
            let ka = (a.occurredAt, a.startedAt ?? a.occurredAt, a.type.order)
            let kb = (b.occurredAt, b.startedAt ?? b.occurredAt, b.type.order)
            return ka < kb
        }
        // Room for the persist, timer and forget actions the callers and the tail add.
        var actions: [TrackerAction] = []
        actions.reserveCapacity(emits.count + notices.count + 3)
        for e in emits { actions.append(.emit(e)) }
        actions.append(contentsOf: notices)
        if runs.allSatisfy({ $0.end != nil }), let last = state.facts.last {
            let stopAll = policy.stopAllOn[id.type] ?? []
            let terminal = state.facts.contains { stopAll.contains($0.action) }
            let forgetAt = last.time.adding(terminal ? policy.retainAfterClose : retainIdle)
            if forgetAt <= now {
                if state.scheduledAt != nil { actions.append(.cancelTimer(id)) }
                actions.append(.forget(id))
                return actions
            }
            next = min(next ?? forgetAt, forgetAt)
        }
        if next != state.scheduledAt {
            if let next { actions.append(.schedule(id, at: next)) } else { actions.append(.cancelTimer(id)) }
            state.scheduledAt = next
        }
        return actions
    }

    private struct Alarm {
        var at: Timestamp
        var flag: UInt32
        var type: SLAEventType
        var level: String?
        var to: String?
    }

    /// The alarms of a cycle that can still matter: after its start and before its end.
    private func alarms(of run: StageRun, _ stage: StageRule, deadline: Timestamp) -> [Alarm] {
        var out: [Alarm] = []
        if let i = stage.immediate, let at = run.flaggedAt {
            out.append(Alarm(at: at, flag: StageMark.immediate, type: .escalated, level: i.level, to: i.to))
        }
        if stage.alarms {
            if let share = stage.warnAt, deadline > run.start {
                let span = Double(deadline.milliseconds - run.start.milliseconds) * share
                out.append(Alarm(at: run.start.adding(TimeSpan(milliseconds: Int64(span))), flag: StageMark.warning, type: .warning))
            }
            // A deadline already past when the cycle starts (an outage registered too late for
            // its notice) makes the cycle overdue at once, and so are ladder steps due before it.
            out.append(Alarm(at: max(deadline, run.start), flag: StageMark.overdue, type: .overdue))
            for (i, step) in stage.escalation.enumerated() {
                // A reminder meant for before the deadline is pointless once the cycle starts after it.
                if step.offset < .zero, deadline.adding(step.offset) < run.start { continue }
                out.append(Alarm(at: max(deadline.adding(step.offset), run.start), flag: StageMark.escalation(i),
                                 type: .escalated, level: step.level, to: step.to))
            }
        }
        // A stop exactly at the deadline is in time, so alarms at the stop instant do not fire.
        return out.filter { alarm in run.end.map { alarm.at < $0 } ?? true }
    }

    private func event(_ id: SubjectID, _ state: SubjectState, _ run: StageRun, _ stage: StageRule,
                       _ type: SLAEventType, at: Timestamp, now: Timestamp) -> SLAEvent {
        var e = base(id, state, stage: stage.id, cycle: run.cycle, start: run.start, type: type, at: at, now: now, attrs: run.attributes)
        e.rule = stage.rule
        e.startedAt = run.start
        e.deadline = run.deadline
        if type == .met || type == .missed || type == .stopped {
            e.elapsed = run.end.map { $0.since(run.start) }
            e.endedBy = run.endedBy
        }
        return e
    }

    private func base(_ id: SubjectID, _ state: SubjectState, stage: String, cycle: Int, start: Timestamp?, type: SLAEventType,
                      at: Timestamp, now: Timestamp, attrs: SubjectAttributes) -> SLAEvent {
        SLAEvent(eventId: SLAEvent.id(id, stage: stage.isEmpty ? "link" : stage, start: start, type: type),
                 type: type, subject: id, kind: state.kind, stage: stage, rule: nil, cycle: cycle,
                 unit: attrs.unit, region: attrs.region, customerClass: attrs.customerClass, agent: attrs.agent,
                 startedAt: nil, deadline: nil, occurredAt: at, detectedAt: max(at, now), elapsed: nil, level: nil,
                 to: nil, outageId: nil, endedBy: nil, policyVersion: policy.version)
    }
}

extension SLAEventType {
    /// Order among events of the same instant: a start before its alarms, alarms before verdicts.
    var order: Int {
        switch self {
        case .linked: return 0
        case .started: return 1
        case .warning: return 2
        case .overdue: return 3
        case .escalated: return 4
        case .met, .missed, .stopped: return 5
        }
    }
}
