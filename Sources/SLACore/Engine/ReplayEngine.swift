// Runs the tracker over a stream of events on a virtual clock: the engine of `slawatch replay`.

/// Feeds events to an ``SLATracker`` on a virtual clock that moves through the events' times,
/// firing timers as the clock passes them, exactly as the daemon does in real time.
///
/// With a ``RollupBook`` it is the daemon's second stage too: every outcome the tracker counts
/// goes into the book once per view it counts in (``Outcome/views``), at the virtual clock, as
/// the worker publishes it to the outcomes topic and its rollup stage takes it from there.
public struct ReplayEngine {
    /// The tracker being driven.
    public private(set) var tracker: SLATracker
    /// The rollups, scorecards, verdict rows and stars of the outcomes, when asked for.
    public private(set) var rollups: RollupBook?
    /// The rollup views outcomes are counted in (both, unless the caller needs fewer).
    private let views: Set<RollupView>
    private var lastPrune: Timestamp?
    private let keepsOutcomes: Bool
    private var outcomes: [Outcome] = []
    /// Known outages, fed from the outage events of the stream (rule 1).
    public private(set) var outages = OutageTable()
    private var timers: SubjectTimers?
    /// The virtual clock: the latest instant reached.
    public private(set) var clock: Timestamp?
    /// Counts of what happened, for the summary.
    public private(set) var counts = ReplayCounts()
    /// What a refused event's ``feed(_:)`` emitted before it threw (timers the clock passed,
    /// the `sla.stopped` of a refused subject's clocks); taken by ``takeUnreported()``.
    private var unreported: [SLAEvent] = []

    /// An engine with an empty tracker; with `rollups`, the outcomes are rolled up into it for
    /// each of `views` they count in; with `keepsOutcomes`, they are kept for ``takeOutcomes()``.
    public init(tracker: SLATracker, rollups: RollupBook? = nil, views: Set<RollupView> = Set(RollupView.allCases), keepsOutcomes: Bool = false) {
        self.tracker = tracker; self.rollups = rollups; self.views = views; self.keepsOutcomes = keepsOutcomes
    }

    /// The outcomes counted since the last take, in the order the tracker counted them (kept
    /// only when the engine was made with `keepsOutcomes`).
    public mutating func takeOutcomes() -> [Outcome] {
        defer { outcomes = [] }
        return outcomes
    }

    /// What the rollups changed since the last take (nil without rollups). The book is pruned
    /// of what its retention has passed first, as the daemon's stage does about once an hour.
    public mutating func takeRollups() -> RollupBook.Changes? {
        guard rollups != nil else { return nil }
        if let clock { rollups!.prune(now: clock) }
        return rollups!.takeChanges()
    }

    /// Number of timers armed.
    public var pendingTimers: Int { timers?.count ?? 0 }

    /// Moves the clock to the event's time (firing what falls due on the way), then applies it.
    /// An event older than the clock is applied at the clock's time, as a late event would be.
    /// Returns what was emitted, in order; a refused event throws and changes nothing.
    public mutating func feed(_ event: InboundEvent) throws(EventRejection) -> [SLAEvent] {
        // Timers due strictly before the event fire first; one due at the event's own instant
        // fires after it, so a stop exactly at the deadline is in time and raises no alarm.
        var out = advance(to: event.occurredAt.adding(TimeSpan(milliseconds: -1)))
        let now = max(clock ?? event.occurredAt, event.occurredAt)
        clock = now
        let step: TrackerStep
        do {
            step = try tracker.apply(event, now: now, outages: outages)
        } catch {
            counts.rejected += 1
            unreported = out
            throw error
        }
        // The tracker refused what contradicts an outage's history already; the table agrees.
        if case .outage(let o) = event, step.disposition == .applied { outages.apply(o) }
        switch step.disposition {
        case .applied: counts.applied += 1
        case .duplicate: counts.duplicates += 1
        case .untracked:
            // No clock keeps this outage's history: the table alone refuses a contradiction.
            if case .outage(let o) = event, let why = outages.apply(o) { counts.rejected += 1; unreported = out; throw why }
            counts.untracked += 1
        case .refused(let why):
            counts.rejected += 1
            counts.refusedSubjects += 1
            // Its clocks stop now; the event itself is refused, as the daemon dead-letters it.
            unreported = out + carryOut(step.actions)
            throw EventRejection(field: nil, why)
        }
        out += carryOut(step.actions)
        // An outage entered after the fault tickets it covers links them now (rule 1 whatever
        // the arrival order); the daemon does the same when its outage table takes the event.
        if case .outage(let o) = event, let place = outages.place(of: o.outageId) {
            out += carryOut(tracker.relink(feeders: place.feeders, areas: place.areas, now: now, outages: outages))
        }
        return out
    }

    /// The events a ``feed(_:)`` that threw emitted all the same: timers the clock passed on
    /// its way to the refused event, and the `sla.stopped` of a subject refused by it. Empty
    /// after a feed that returned.
    public mutating func takeUnreported() -> [SLAEvent] {
        defer { unreported = [] }
        return unreported
    }

    /// Moves the clock forward to `t`, firing every timer due by then in deadline order.
    public mutating func advance(to t: Timestamp) -> [SLAEvent] {
        var out: [SLAEvent] = []
        // Step from wakeup to wakeup: a fired subject re-arms for later than its due time, and
        // stepping keeps those new timers in order with the ones already waiting.
        while let wake = timers?.nextWakeup(), wake <= t {
            // Mutated in place through the optional: copying the wheel out would copy its slab.
            let due = timers!.advance(to: wake)
            for (subject, at) in due {
                clock = max(clock ?? at, at)
                out += carryOut(tracker.fire(subject, now: clock!).actions)
            }
        }
        clock = max(clock ?? t, t)
        return out
    }

    private mutating func carryOut(_ actions: [TrackerAction]) -> [SLAEvent] {
        var out: [SLAEvent] = []
        for a in actions {
            switch a {
            case .emit(let e):
                out.append(e); counts.emitted += 1
                if e.type == .unresolved { counts.unresolved += 1 }
            case .schedule(let s, let at):
                if timers == nil { timers = SubjectTimers(now: min(clock ?? at, at)) }
                timers!.schedule(s, at: at)
            case .cancelTimer(let s): timers?.cancel(s)
            case .forget(let s): timers?.cancel(s); counts.forgotten += 1
            case .persist: break  // replay keeps state in memory only
            case .outcome(let o): count(o)
            }
        }
        return out
    }
}

extension ReplayEngine {
    /// Counts an outcome: kept for the caller, rolled up per view at the virtual clock.
    fileprivate mutating func count(_ o: Outcome) {
        counts.outcomes += 1
        if keepsOutcomes { outcomes.append(o) }
        guard rollups != nil, let now = clock else { return }
        // Pruned hourly in virtual time, as the daemon's stage prunes each partition hourly.
        if let last = lastPrune, now.milliseconds - last.milliseconds >= 3_600_000 { rollups!.prune(now: now); lastPrune = now }
        if lastPrune == nil { lastPrune = now }
        for view in o.views where views.contains(view) { _ = rollups!.apply(o, view: view, now: now) }
    }
}

/// What a replay did.
public struct ReplayCounts: Sendable, Equatable {
    /// Events that changed a subject's history.
    public var applied = 0
    /// Events whose `event_id` was seen before.
    public var duplicates = 0
    /// Events of kinds no stage applies to.
    public var untracked = 0
    /// Events the tracker refused.
    public var rejected = 0
    /// SLA events emitted.
    public var emitted = 0
    /// Subjects dropped after their retention.
    public var forgotten = 0
    /// `sla.unresolved` events emitted: cycles waiting for data or calendar years.
    public var unresolved = 0
    /// Subjects refused: their history grew past the tracker's limits.
    public var refusedSubjects = 0
    /// Outcomes counted (once each, whatever the views they count in).
    public var outcomes = 0
}
