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
    public private(set) var policy: Policy
    /// The calendar working-day limits use.
    public private(set) var calendar: BusinessCalendar
    /// How long a subject with no running clock and no terminal action is kept after its last event.
    public let retainIdle: TimeSpan
    /// How much of one subject is kept before it is refused.
    public let limits: TrackerLimits
    private var subjects = SubjectTable<SubjectState>()
    /// Unlinked fault tickets by feeder and area: an outage entered late finds them here.
    private var places = FaultPlaces()
    var evaluator: StageEvaluator { StageEvaluator(policy: policy, calendar: calendar) }
    /// The files in force, and the tag states evaluated under them carry.
    public private(set) var files: FilesIdentity
    private var filesTag: UInt64
    /// The files before the last ``reload(policy:calendar:)``, to name what changed.
    private var previousFiles: [UInt64: FilesIdentity] = [:]

    /// A tracker with no subjects.
    public init(policy: Policy, calendar: BusinessCalendar, retainIdle: TimeSpan = .days(60), limits: TrackerLimits = TrackerLimits()) {
        self.policy = policy; self.calendar = calendar; self.retainIdle = retainIdle; self.limits = limits
        files = FilesIdentity(policy: policy, calendar: calendar)
        filesTag = files.tag
    }

    /// Puts a new policy and calendar in force. Nothing is emitted here: each subject's next
    /// step (``fire(_:now:)``, which the caller runs for every subject at once or in slices)
    /// re-derives its clocks under the new files — `sla.rescheduled` for a running clock whose
    /// deadline moved, `sla.retracted` for an alarm it makes premature, `sla.started` for a
    /// waiting clock the new files can time — while verdicts already given stand.
    public mutating func reload(policy newPolicy: Policy, calendar newCalendar: BusinessCalendar) {
        previousFiles[filesTag] = files
        if newPolicy.stages.map(\.id) != policy.stages.map(\.id) {
            let old = policy
            subjects.updateEach { $0 = $0.remapped(from: old, to: newPolicy) }
        }
        policy = newPolicy; calendar = newCalendar
        files = FilesIdentity(policy: newPolicy, calendar: newCalendar)
        filesTag = files.tag
        previousFiles[filesTag] = nil
    }

    /// Whether a subject was last evaluated under other files than those in force (a restored
    /// state from an instance that ran other files, or one not yet re-evaluated after a reload).
    /// A state of the format before 4 does not say; it counts as evaluated under ours.
    public func evaluatedUnderOtherFiles(_ state: SubjectState) -> Bool { state.filesTag != 0 && state.filesTag != filesTag }

    /// Whether a reload must evaluate a subject again: it was not yet evaluated under these files.
    public func needsReevaluation(_ state: SubjectState) -> Bool { state.filesTag != filesTag }

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
    public mutating func restore(_ id: SubjectID, state: SubjectState) {
        // One lookup: the state replaced is what the place index filed.
        let (n, old) = subjects.put(state, for: id)
        places.update(n, from: old, to: state)
    }

    /// Unlinked fault tickets restored with ``restore(_:state:filing:)``, waiting to be filed
    /// in the place index by ``file(_:)``.
    public struct PlaceFiling {
        var gathered = FaultPlaces.Filing()
        /// Nothing waiting.
        public init() {}
    }

    /// ``restore(_:state:)`` for one of many subjects restored together: a new unlinked fault
    /// ticket is gathered in `filing` rather than filed, so that ``file(_:)`` fills each feeder's
    /// and area's set in one go (filing a million tickets one by one into sets scattered over
    /// memory was a third of adopting them). Until then, ``linkCandidates(feeders:areas:)``
    /// does not see the gathered tickets, and no subject may be dropped or forgotten (the
    /// filing names tickets by their number in the table, which a removal frees).
    public mutating func restore(_ id: SubjectID, state: SubjectState, filing: inout PlaceFiling) {
        let (n, old) = subjects.put(state, for: id)
        guard let old else { return filing.gathered.add(n, state) }
        // A subject held already (or restored twice) is refiled from what the index holds, so
        // what was gathered is filed first.
        file(&filing)
        places.update(n, from: old, to: state)
    }

    /// Files the tickets `filing` gathered in the place index and empties it.
    public mutating func file(_ filing: inout PlaceFiling) {
        guard !filing.gathered.isEmpty else { return }
        places.file(filing.gathered)
        filing = PlaceFiling()
    }

    /// Makes room for `n` subjects in all (before a restore of many).
    public mutating func reserveCapacity(_ n: Int) { subjects.reserveCapacity(n) }

    /// Drops a subject without a trace (the partition moved to another instance).
    public mutating func drop(_ id: SubjectID) {
        if let (n, old) = subjects.take(id) { places.update(n, from: old, to: nil) }
    }

    /// The ids of all subjects held.
    public var subjectIDs: [SubjectID] { subjects.ids }

    /// Applies an input event at `now`. A refused event changes nothing.
    public mutating func apply(_ event: InboundEvent, now: Timestamp,
                               outages: some OutageLookup = NoKnownOutages()) throws(EventRejection) -> TrackerStep {
        let id = event.subject
        guard var state = subjects[id] ?? (policy.times(event.kind) ? SubjectState(kind: event.kind) : nil) else {
            // Nothing is kept, but every ticket kind counts its volumes (consultations, queries …).
            guard case .ticket(let t) = event, let v = Outcome.volume(t, history: nil) else { return TrackerStep(disposition: .untracked, actions: []) }
            return TrackerStep(disposition: .untracked, actions: [.outcome(v)])
        }
        guard state.kind == event.kind else {
            throw EventRejection(field: "kind", "\(JSONText.quoted(event.kind.rawValue)) differs from the \(id.type.rawValue)'s kind \(JSONText.quoted(state.kind.rawValue))")
        }
        if let r = state.refusal {
            // Constant time: a refused subject keeps no history to look at.
            throw EventRejection(field: nil, "\(id.type.rawValue) \(JSONText.quoted(id.id)) was refused at \(RFC3339.format(r.at, offsetSeconds: 0)) (\(r.text)); its events are no longer processed")
        }
        let fact = Fact(event)
        if state.contains(eventHash: fact.eventHash) { return TrackerStep(disposition: .duplicate, actions: []) }
        // An outage event its own history contradicts is refused (the outage table refuses it too).
        if id.type == .outage, let why = OutageTimeline(state.facts).contradiction(fact) { throw why }
        if let why = limits.excess(adding: fact, to: state, policy: policy) { return refuse(id, &state, because: why, now: now) }
        state.insert(fact)
        if case .ticket(let t) = event, t.kind == .faultRepair, !state.isLinked, let related = t.relatedTicketId {
            // The call-taker linked it to a fault another customer already reported (rule 1).
            state.linkedTicket = related
            state.linkedAt = t.occurredAt
        }
        // Only an event that creates the ticket or names its place can change what covers it; an
        // outage entered later comes through ``relink(feeders:areas:now:outages:)``.
        if fact.action == .created || fact.feeder != nil || fact.area != nil { link(&state, outages) }
        var actions = evaluate(id, &state, now: now, cause: fact.time)
        // The ticket event's own outcomes first, read from the history with the event in it
        // (even when this step forgets the subject: a closure read back late keeps its holder).
        if case .ticket(let t) = event {
            let own = [Outcome(closure: t, history: state), Outcome.volume(t, history: state)].compactMap { $0 }
            actions.insert(contentsOf: own.map(TrackerAction.outcome), at: 0)
        }
        // After the emits, before the timer: the state written holds what was emitted.
        // (Cases are matched rather than compared: comparing would compare whole events.)
        let forgets = actions.contains { if case .forget = $0 { return true }; return false }
        if !forgets { actions.insert(.persist(id), at: actions.firstIndex { !$0.isNews } ?? actions.count) }
        commit(id, state, forgets: forgets)
        return TrackerStep(disposition: .applied, actions: actions)
    }

    /// Runs the subject's timer at `now`: emits what fell due and arms the next alarm.
    public mutating func fire(_ id: SubjectID, now: Timestamp) -> TrackerStep {
        guard var state = subjects[id] else { return TrackerStep(disposition: .applied, actions: []) }
        state.scheduledAt = nil  // the timer that brought us here has fired
        var actions = evaluate(id, &state, now: now, cause: nil)
        let forgets = actions.contains { if case .forget = $0 { return true }; return false }
        if !forgets, actions.contains(where: { if case .emit = $0 { return true }; return false }) {
            actions.append(.persist(id))
        }
        commit(id, state, forgets: forgets)
        return TrackerStep(disposition: .applied, actions: actions)
    }

    /// Gives a subject up: every running cycle stops (`sla.stopped`, reason `oversized`, at
    /// `now`, judged on the deadline it published), its history goes, and the refusal is kept
    /// for ``retainIdle`` so its later events are refused too.
    private mutating func refuse(_ id: SubjectID, _ state: inout SubjectState, because why: String, now: Timestamp) -> TrackerStep {
        let text = "refused: \(why)"
        var actions: [TrackerAction] = []
        for var run in evaluator.runs(of: state) {
            let stage = policy.stages[run.stage]
            let mark = state.mark(stage: run.stage, start: run.start)
            guard mark.bits & StageMark.started != 0, mark.bits & StageMark.verdicts == 0 else { continue }
            if let p = mark.deadline { run.deadline = Timestamp(milliseconds: p) }
            let end = max(now, run.start)
            run.end = end; run.verdict = .stopped; run.endedBy = nil
            var e = event(id, state, run, stage, .stopped, at: end, now: now)
            e.reason = SubjectRefusal.code; e.reasonText = text
            e.eventId += "@" + SLAEvent.compact(end)
            actions.append(.emit(e))
            if let o = Outcome(e) { actions.append(.outcome(o)) }
        }
        let forgetAt = now.adding(retainIdle)
        var refused = SubjectState(kind: state.kind)
        refused.refusal = SubjectRefusal(at: now, text: why, forgetAt: forgetAt)
        refused.filesTag = filesTag
        refused.scheduledAt = forgetAt
        actions.append(.persist(id))
        actions.append(.schedule(id, at: forgetAt))
        state = refused
        commit(id, refused, forgets: false)
        return TrackerStep(disposition: .refused(text), actions: actions)
    }

    private mutating func commit(_ id: SubjectID, _ state: SubjectState, forgets: Bool) {
        // One lookup per event: the state replaced (or removed) is what the place index filed.
        if forgets {
            if let (n, old) = subjects.take(id) { places.update(n, from: old, to: nil) }
        } else {
            let (n, old) = subjects.put(state, for: id)
            places.update(n, from: old, to: state)
        }
    }

    /// Links an unlinked fault ticket to the outage that covers its place at its creation, if
    /// the lookup knows one; the link is made when both were known in event time.
    private func link(_ state: inout SubjectState, _ outages: some OutageLookup) {
        guard state.kind == .faultRepair, !state.isLinked, state.refusal == nil,
              let created = state.facts.first(where: { $0.action == .created }) else { return }
        let place = SubjectAttributes.place(state.facts, count: state.facts.count)
        guard place.feeder != nil || place.area != nil,
              let match = outages.covering(feeder: place.feeder, area: place.area, at: created.time) else { return }
        state.linkedOutage = match.outageId
        state.linkedAt = max(created.time, match.knownAt)
    }

    /// Links the held fault tickets on these feeders and areas that an outage entered after
    /// them now covers (rule 1, whatever the arrival order): each gets `sla.linked`, its repair
    /// clocks stop (`sla.stopped`, reason `linked`) and the alarms they raised are withdrawn.
    /// Returns the actions, as ``fire(_:now:)`` would, for every ticket linked.
    public mutating func relink(feeders: some Sequence<String>, areas: some Sequence<String>, now: Timestamp,
                                outages: some OutageLookup) -> [TrackerAction] {
        linkCandidates(feeders: feeders, areas: areas).flatMap { relink($0, now: now, outages: outages) }
    }

    /// ``relink(_:now:outages:)`` for every unlinked fault ticket held that a known outage could
    /// cover (``relinkCandidates(outages:)``), after a restore: the outage may have been entered
    /// while nobody held the ticket.
    public mutating func relinkAll(now: Timestamp, outages: some OutageLookup) -> [TrackerAction] {
        relinkCandidates(outages: outages).flatMap { relink($0, now: now, outages: outages) }
    }

    /// The held unlinked fault tickets an outage the lookup knows could cover: those on a feeder
    /// or area it names, or every one when it cannot list them. (After a restore of a million
    /// tickets, asking the lookup about each one was half of adopting them.)
    public func relinkCandidates(outages: some OutageLookup) -> [SubjectID] {
        guard let known = outages.coveredPlaces() else { return unlinkedFaults }
        return known.feeders.isEmpty && known.areas.isEmpty ? [] : linkCandidates(feeders: known.feeders, areas: known.areas)
    }

    /// The held unlinked fault tickets on any of these feeders or areas, in a stable order.
    public func linkCandidates(feeders: some Sequence<String>, areas: some Sequence<String>) -> [SubjectID] {
        places.candidates(feeders: feeders, areas: areas) { subjects.entry($0)!.id }
    }

    /// Every held unlinked fault ticket with a feeder or area, in a stable order.
    public var unlinkedFaults: [SubjectID] { places.all { subjects.entry($0)!.id } }

    /// Links one held fault ticket if the lookup now has an outage covering it; the actions
    /// (none when it stays unlinked) are those of ``fire(_:now:)``.
    public mutating func relink(_ id: SubjectID, now: Timestamp, outages: some OutageLookup) -> [TrackerAction] {
        guard var state = subjects[id] else { return [] }
        link(&state, outages)
        guard state.isLinked else { return [] }
        var actions = evaluate(id, &state, now: now, cause: state.linkedAt)
        let forgets = actions.contains { if case .forget = $0 { return true }; return false }
        if !forgets { actions.insert(.persist(id), at: actions.firstIndex { !$0.isNews } ?? actions.count) }
        commit(id, state, forgets: forgets)
        return actions
    }

    /// Derives the cycles, emits what is due and not yet emitted, and re-arms the timer.
    /// `cause` is the event time of what changed the history (nil for a timer): a cycle that
    /// change removes ends then.
    private func evaluate(_ id: SubjectID, _ state: inout SubjectState, now: Timestamp, cause: Timestamp?) -> [TrackerAction] {
        if let r = state.refusal {
            // Nothing to derive: the refusal waits for its time to be forgotten.
            state.filesTag = filesTag
            if r.forgetAt <= now { return [.cancelTimer(id), .forget(id)] }
            guard state.scheduledAt != r.forgetAt else { return [] }
            state.scheduledAt = r.forgetAt
            return [.schedule(id, at: r.forgetAt)]
        }
        let runs = evaluator.runs(of: state)
        var emits: [SLAEvent] = []
        var next: Timestamp?
        // Evaluated under other files than last time: what moved is named, verdicts given stand.
        let filesChanged = evaluatedUnderOtherFiles(state)
        if state.isLinked, !state.linkEmitted, let created = state.facts.first(where: { $0.action == .created }) {
            let at = max(created.time, state.linkedAt ?? created.time)
            var e = base(id, state, stage: "", cycle: 0, start: nil, type: .linked, at: at, now: now, attrs: SubjectAttributes.of(state.facts, count: state.facts.count))
            e.outageId = state.linkedOutage
            e.relatedTicketId = state.linkedTicket
            e.chargedTo = SubjectHolder.unit(of: state.facts, until: at)
            emits.append(e)
            state.linkEmitted = true
        }
        if !filesChanged { emits += withdrawVanished(id, &state, runs, now: now, cause: cause) }
        for var run in runs {
            let stage = policy.stages[run.stage]
            // An end still to come (an outage's planned start, `missed_at`) is not news yet.
            let endsLater = run.end.map { $0 > now } ?? false
            var mark = state.mark(stage: run.stage, start: run.start)
            run.withdrawals = mark.withdrawals
            let before = mark
            defer { if mark != before { state.update(mark) } }
            let published = mark.deadline.map { Timestamp(milliseconds: $0) }
            let judged = mark.bits & StageMark.verdicts != 0
            if let p = published, judged, mark.bits & StageMark.frozen != 0 || (filesChanged && run.deadline != p) {
                // A verdict given under the files of its day stands on the deadline it was given on.
                mark.bits |= StageMark.frozen
                pin(&run, to: p, stage)
            }
            if let reason = run.unresolved, run.deadline == nil {
                if mark.bits & StageMark.unresolved == 0 {
                    mark.bits |= StageMark.unresolved
                    var e = event(id, state, run, stage, .unresolved, at: run.start, now: now)
                    e.reason = reason.code.rawValue; e.reasonText = reason.text; e.missing = reason.missing
                    emits.append(e)
                }
                // A clock already running keeps its published deadline when new files cannot time it.
                if mark.bits & StageMark.started != 0, let p = published { pin(&run, to: p, stage) }
            }
            guard let deadline = run.deadline else {
                // Even an ended cycle stays open: a late event or a calendar may still bring what
                // it lacks, and then its start and verdict are emitted as if they had come in order.
                mark.waiting = run.unresolved?.code
                continue
            }
            mark.waiting = nil
            func emitAlarm(_ alarm: Alarm) {
                guard mark.bits & alarm.flag == 0 else { return }
                mark.bits |= alarm.flag
                var e = event(id, state, run, stage, alarm.type, at: alarm.at, now: now)
                e.level = alarm.level; e.to = alarm.to
                e.eventId = alarmId(id, stage, run, alarm, revision: mark.revision)
                if mark.revision > 0 { mark.alarmRevisions.append(.init(flag: alarm.flag, revision: mark.revision)) }
                emits.append(e)
            }
            // A judge-only stage (a return window) has no clock to show: only its verdict is news.
            if stage.alarms, mark.bits & StageMark.started == 0 {
                mark.bits |= StageMark.started
                var e = event(id, state, run, stage, .started, at: run.start, now: now)
                e.calendarVersion = calendar.version
                emits.append(e)
                mark.deadline = deadline.milliseconds
            }
            // A state of the format before 4 did not keep what it published: from now on it does.
            if mark.deadline == nil, mark.bits & StageMark.started != 0 { mark.deadline = deadline.milliseconds }
            let placed = alarms(of: run, stage, deadline: deadline)
            let alarms = placed.filter { alarm in run.end.map { alarm.at < $0 } ?? true }
            if let p = mark.deadline.map({ Timestamp(milliseconds: $0) }), p != deadline, mark.bits & StageMark.verdicts == 0 {
                // A published deadline moved: say so, and withdraw what the new one makes premature.
                mark.revision &+= 1
                // Moved by new files: noticed now, there is no event time for it. Moved by an event: then.
                let at = filesChanged ? max(now, run.start) : max(run.start, state.facts.last?.time ?? run.start)
                var e = event(id, state, run, stage, .rescheduled, at: at, now: now)
                let change: (code: String, text: String) = filesChanged ? files.change(from: previousFiles[state.filesTag]) : ("event", "a later event of the \(id.type.rawValue) moved the deadline")
                e.reason = change.code; e.reasonText = change.text
                e.oldDeadline = p
                e.calendarVersion = calendar.version
                e.eventId += "#r\(mark.revision)"
                emits.append(e)
                mark.deadline = deadline.milliseconds
                for flag in alarmFlags(stage) where mark.bits & flag != 0 {
                    // An alarm the new files no longer place stands: it was right when it was raised.
                    guard let due = placed.first(where: { $0.flag == flag }) else { continue }
                    // Premature: not due yet under the new deadline, or due only after the cycle ended.
                    guard due.at > now || run.end.map({ due.at >= $0 }) == true else { continue }
                    // Charged where the overdue it withdraws was: at the deadline it was placed on.
                    emits.append(retraction(id, state, run, stage, due, revision: mark.revision(ofAlarm: flag), at: at, now: now,
                                            oldDeadline: p, chargedAt: max(p, run.start)))
                    mark.bits &= ~flag
                    mark.alarmRevisions.removeAll { $0.flag == flag }
                }
            }
            if let end = run.end, !endsLater {
                // Raised while the event that ended the cycle earlier was still on its way (or
                // before an earlier start arrived): the corrected history would not raise it.
                for flag in alarmFlags(stage) + [StageMark.immediate] where mark.bits & flag != 0 {
                    guard let due = placed.first(where: { $0.flag == flag }), due.at >= end else { continue }
                    emits.append(retraction(id, state, run, stage, due, revision: mark.revision(ofAlarm: flag), at: end, now: now,
                                            oldDeadline: deadline, chargedAt: due.at,
                                            reason: ("reordered", "an event that arrived late ended the cycle before the alarm fell due")))
                    mark.bits &= ~flag
                    mark.alarmRevisions.removeAll { $0.flag == flag }
                }
            }
            for alarm in alarms {
                if alarm.at <= now {
                    emitAlarm(alarm)
                } else if run.end == nil || endsLater, mark.bits & alarm.flag == 0 {
                    next = min(next ?? alarm.at, alarm.at)
                }
            }
            if endsLater, let end = run.end { next = min(next ?? end, end) }
            if !endsLater, let end = run.end, let verdict = run.verdict, stage.alarms || verdict != .stopped {
                let flag = StageMark.verdict(verdict)
                if mark.bits & StageMark.verdicts != flag || mark.verdictEnd != end.milliseconds {
                    let type: SLAEventType = verdict == .met ? .met : (verdict == .missed ? .missed : .stopped)
                    var e = event(id, state, run, stage, type, at: end, now: now)
                    // v1.3: every stop says why; here, the action that ended the cycle.
                    if type == .stopped { e.reason = run.endedBy?.rawValue }
                    // The end is part of a verdict's id, so a corrected verdict is a new event.
                    e.eventId += "@" + SLAEvent.compact(end)
                    emits.append(e)
                    mark.bits = mark.bits & ~StageMark.verdicts | flag
                    mark.verdictEnd = end.milliseconds
                    mark.deadline = deadline.milliseconds
                }
            }
        }
        state.filesTag = filesTag
        // Same instant: an older cycle's news first (dispatch met before arrival started),
        // and within a cycle its start, then alarms, then the verdict.
        emits.sort { a, b in
            let ka = (a.occurredAt, a.startedAt ?? a.occurredAt, a.type.order)
            let kb = (b.occurredAt, b.startedAt ?? b.occurredAt, b.type.order)
            return ka < kb
        }
        // Room for the persist, timer and forget actions the callers and the tail add.
        var actions: [TrackerAction] = []
        actions.reserveCapacity(2 * emits.count + 5)
        for e in emits {
            actions.append(.emit(e))
            // Each event's outcome right after it: assessment counts what was published.
            if let o = Outcome(e) { actions.append(.outcome(o)) }
        }
        if runs.allSatisfy({ $0.end.map { $0 <= now } ?? false }), let last = state.facts.last {
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

    /// Times a cycle on a deadline it published instead of the one derived now: its warning on
    /// the clock (the working days behind the old deadline are not counted again), its verdict.
    private func pin(_ run: inout StageRun, to p: Timestamp, _ stage: StageRule) {
        run.deadline = p
        run.warnAt = stage.warnAt.map { evaluator.proportional($0, from: run.start, to: p) }
        if let end = run.end, run.verdict != .stopped, !run.forcedMiss { run.verdict = end <= p ? .met : .missed }
        if case .before = stage.limit, !run.forcedMiss {
            run.shortBy = run.verdict == .missed ? run.end.map { $0.since(p) } : nil
        }
    }

    /// The deterministic id of an alarm; one fired after its cycle's deadline moved carries the revision.
    private func alarmId(_ id: SubjectID, _ stage: StageRule, _ run: StageRun, _ alarm: Alarm, revision: UInt16) -> String {
        let level = alarm.level.map { alarm.flag == StageMark.immediate ? $0 + "-immediate" : $0 }
        let base = SLAEvent.id(id, stage: stage.id, start: run.start, type: alarm.type, level: level)
        let revised = revision == 0 ? base : base + "#r\(revision)"
        return run.withdrawals == 0 ? revised : revised + "#w\(run.withdrawals)"
    }

    /// The `sla.retracted` that withdraws an alarm raised for a cycle: named `<alarm id>~retracted`,
    /// charged where the alarm was (`chargedAt`).
    private func retraction(_ id: SubjectID, _ state: SubjectState, _ run: StageRun, _ stage: StageRule, _ alarm: Alarm, revision: UInt16,
                            at: Timestamp, now: Timestamp, oldDeadline: Timestamp?, chargedAt: Timestamp,
                            reason: (code: String, text: String)? = nil) -> SLAEvent {
        var r = event(id, state, run, stage, .retracted, at: at, now: now)
        r.level = alarm.level; r.to = alarm.to
        r.oldDeadline = oldDeadline
        r.reason = reason?.code; r.reasonText = reason?.text
        r.retractedEventId = alarmId(id, stage, run, alarm, revision: revision)
        r.eventId = r.retractedEventId! + "~retracted"
        r.chargedTo = charged(stage, state, at: chargedAt)
        return r
    }

    /// The alarm a flag stands for, placed nowhere in particular (its type, level and role).
    private func alarm(flag: UInt32, _ stage: StageRule) -> Alarm {
        switch flag {
        case StageMark.warning: return Alarm(at: .init(milliseconds: 0), flag: flag, type: .warning)
        case StageMark.overdue: return Alarm(at: .init(milliseconds: 0), flag: flag, type: .overdue)
        case StageMark.immediate: return Alarm(at: .init(milliseconds: 0), flag: flag, type: .escalated, level: stage.immediate?.level, to: stage.immediate?.to)
        default:
            let i = stage.escalation.indices.first { StageMark.escalation($0) == flag }
            return Alarm(at: .init(milliseconds: 0), flag: flag, type: .escalated, level: i.map { stage.escalation[$0].level }, to: i.map { stage.escalation[$0].to })
        }
    }

    /// Withdraws the cycles published before that the history no longer has: the repair clocks
    /// of a ticket linked to an outage after they started (reason `linked`), or a cycle a late
    /// earlier event absorbed into another (reason `reordered`). Each alarm they raised gets
    /// `sla.retracted`; a cycle that started or was judged gets `sla.stopped`, whose outcome
    /// (voided) takes its verdict's place in the rollups.
    private func withdrawVanished(_ id: SubjectID, _ state: inout SubjectState, _ runs: [StageRun], now: Timestamp, cause: Timestamp?) -> [SLAEvent] {
        // Runs every evaluation: a subject has a few cycles, so a scan beats building a set.
        // A record emptied by an earlier withdrawal has nothing left to withdraw.
        let gone = state.marks.filter { m in m.bits != 0 && !runs.contains { $0.stage == m.stage && $0.start.milliseconds == m.start } }
        guard !gone.isEmpty else { return [] }
        var out: [SLAEvent] = []
        let attrs = SubjectAttributes.of(state.facts, count: state.facts.count)
        for m in gone {
            let stage = policy.stages[m.stage]
            let linked = stage.skipIfLinked && state.isLinked
            let start = Timestamp(milliseconds: m.start)
            let at = max(start, (linked ? state.linkedAt : cause) ?? now)
            let (code, text) = linked
                ? ("linked", "the ticket was linked to \(state.linkedOutage.map { "outage \($0)" } ?? "ticket \(state.linkedTicket ?? "")") (rule 1): it gets no repair clock")
                : ("reordered", "an event that arrived late shows this cycle never ran")
            let cycle = runs.filter { $0.stage == m.stage && $0.start < start }.count + 1
            var run = StageRun(stage: m.stage, cycle: cycle, start: start, deadline: m.deadline.map { Timestamp(milliseconds: $0) }, attributes: attrs)
            run.withdrawals = m.withdrawals
            for flag in alarmFlags(stage) + [StageMark.immediate] where m.bits & flag != 0 {
                var r = retraction(id, state, run, stage, alarm(flag: flag, stage), revision: m.revision(ofAlarm: flag), at: at, now: now,
                                   oldDeadline: run.deadline, chargedAt: max(run.deadline ?? start, start), reason: (code, text))
                if linked { r.outageId = state.linkedOutage }
                out.append(r)
            }
            if m.bits & StageMark.verdicts != StageMark.stopped, m.bits & (StageMark.started | StageMark.met | StageMark.missed) != 0 {
                run.end = at; run.verdict = .stopped
                var e = event(id, state, run, stage, .stopped, at: at, now: now)
                e.reason = code; e.reasonText = text
                if linked { e.outageId = state.linkedOutage }
                e.eventId += "@" + SLAEvent.compact(at)
                out.append(e)
            }
        }
        for m in gone {
            // Kept, emptied, so a cycle that comes back publishes under new ids.
            var w = StageMark(stage: m.stage, start: m.start, bits: 0)
            w.withdrawals = m.withdrawals &+ 1
            state.update(w)
        }
        return out
    }

    /// The flags of the alarms a deadline places (the immediate escalation does not depend on it).
    private func alarmFlags(_ stage: StageRule) -> [UInt32] {
        [StageMark.warning, StageMark.overdue] + stage.escalation.indices.map(StageMark.escalation)
    }

    /// The alarms a cycle's deadline places, from its start on.
    private func alarms(of run: StageRun, _ stage: StageRule, deadline: Timestamp) -> [Alarm] {
        var out: [Alarm] = []
        if let i = stage.immediate, let at = run.flaggedAt {
            out.append(Alarm(at: at, flag: StageMark.immediate, type: .escalated, level: i.level, to: i.to))
        }
        if stage.alarms {
            if let at = run.warnAt, deadline > run.start {
                out.append(Alarm(at: at, flag: StageMark.warning, type: .warning))
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
        // The caller drops those at or after the end: a stop exactly at the deadline is in time,
        // so alarms at the stop instant do not fire.
        return out
    }

    private func event(_ id: SubjectID, _ state: SubjectState, _ run: StageRun, _ stage: StageRule,
                       _ type: SLAEventType, at: Timestamp, now: Timestamp) -> SLAEvent {
        var e = base(id, state, stage: stage.id, cycle: run.cycle, start: run.start, type: type, at: at, now: now, attrs: run.attributes)
        if run.withdrawals > 0 { e.eventId += "#w\(run.withdrawals)" }
        e.rule = stage.rule
        e.chargedTo = charged(stage, state, at: at)
        e.startedAt = run.start
        e.deadline = run.deadline
        e.provisional = run.provisional
        if type == .met || type == .missed || type == .stopped {
            e.elapsed = run.end.map { $0.since(run.start) }
            e.endedBy = run.endedBy
        }
        if type == .missed { e.shortBy = run.shortBy }
        return e
    }

    /// Who answers for what happened to a stage at `at`: the centre, or the unit holding the
    /// subject then (a verdict at its end, an alarm when it fell due).
    func charged(_ stage: StageRule, _ state: SubjectState, at: Timestamp) -> String? {
        switch stage.charged {
        case .centre: return policy.centre
        case .holder: return SubjectHolder.unit(of: state.facts, until: at)
        }
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
        case .warning: return 3
        case .overdue: return 4
        case .escalated: return 5
        case .unresolved: return 1
        case .rescheduled, .retracted: return 2
        case .met, .missed, .stopped: return 6
        }
    }
}
