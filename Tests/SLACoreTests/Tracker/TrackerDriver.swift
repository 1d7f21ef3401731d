// A minimal virtual-clock driver for tracker tests: applies events and fires due timers.

@testable import SLACore

struct TrackerDriver {
    var tracker: SLATracker
    var timers: [SubjectID: Timestamp] = [:]
    var emitted: [SLAEvent] = []
    var persisted: [SubjectID] = []
    /// Outcomes the tracker counted, in order.
    var outcomes: [Outcome] = []
    var forgotten: [SubjectID] = []
    var unresolved: [String] = []
    var outages = OutageTable()
    var now = Timestamp(milliseconds: 0)

    init(policy: Policy = Fixtures.policy, calendar: BusinessCalendar = Fixtures.calendar, limits: TrackerLimits = TrackerLimits()) {
        tracker = SLATracker(policy: policy, calendar: calendar, limits: limits)
    }

    @discardableResult
    mutating func apply(_ e: InboundEvent, at: Timestamp? = nil) throws(EventRejection) -> TrackerStep {
        advance(to: Timestamp(milliseconds: (at ?? e.occurredAt).milliseconds - 1))
        now = max(now, at ?? e.occurredAt)
        if case .outage(let o) = e { outages.apply(o) }
        let step = try tracker.apply(e, now: now, outages: outages)
        carry(step.actions)
        // An outage entered after the tickets it covers links them now, as replay and the daemon do.
        if case .outage(let o) = e, let place = outages.place(of: o.outageId) {
            carry(tracker.relink(feeders: place.feeders, areas: place.areas, now: now, outages: outages))
        }
        return step
    }

    mutating func advance(to t: Timestamp) {
        while let (s, at) = timers.filter({ $0.value <= t }).min(by: { ($0.value, $0.key.id) < ($1.value, $1.key.id) }) {
            timers[s] = nil
            now = max(now, at)
            carry(tracker.fire(s, now: now).actions)
        }
        now = max(now, t)
    }

    mutating func carry(_ actions: [TrackerAction]) {
        for a in actions {
            switch a {
            case .emit(let e):
                emitted.append(e)
                if e.type == .unresolved { unresolved.append("\(e.subject.id) \(e.stage): \(e.reason ?? "") \(e.missing ?? "")") }
            case .schedule(let s, let at): timers[s] = at
            case .cancelTimer(let s): timers[s] = nil
            case .persist(let s): persisted.append(s)
            case .outcome(let o): outcomes.append(o)
            case .forget(let s): timers[s] = nil; forgotten.append(s)
            }
        }
    }

    /// Puts new files in force at `at` and evaluates every subject again, as the daemon does.
    mutating func reload(policy: Policy? = nil, calendar: BusinessCalendar? = nil, at t: Timestamp) {
        advance(to: t)
        tracker.reload(policy: policy ?? tracker.policy, calendar: calendar ?? tracker.calendar)
        for id in tracker.subjectIDs.sorted(by: { $0.id < $1.id }) { carry(tracker.fire(id, now: now).actions) }
    }

    /// What one subject emitted.
    func events(_ id: String) -> [SLAEvent] { emitted.filter { $0.subject.id == id } }

    /// `type stage cycle` lines of what a subject emitted, for compact expectations.
    func lines(_ id: String) -> [String] {
        emitted.filter { $0.subject.id == id }.map { e in
            [e.type.rawValue, e.stage, e.stage.isEmpty ? "" : String(e.cycle), e.level ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        }
    }
}

/// Builds ticket events tersely: `ticket("T1", .faultRepair, .created, "2026-11-20T08:00", region: .urban)`.
func ticket(_ id: String, _ kind: SubjectKind, _ action: LifecycleAction, _ local: String, eventId: String? = nil,
            unit: String? = "U1", region: Region? = nil, customerClass: CustomerClass? = nil, reportedTo: ReportedTo? = nil,
            multiUnit: Bool? = nil, feeder: String? = nil, area: String? = nil) -> InboundEvent {
    var t = TicketEvent(eventId: eventId ?? "\(id)-\(action.rawValue)-\(local)", ticketId: id, kind: kind, action: action,
                        occurredAt: Fixtures.t(local), unit: unit, region: region, customerClass: customerClass)
    t.reportedTo = reportedTo; t.multiUnit = multiUnit; t.feeder = feeder; t.area = area
    return .ticket(t)
}

/// Builds outage events tersely.
func outage(_ id: String, _ kind: SubjectKind, _ action: LifecycleAction, _ local: String, startAt: String? = nil,
            estRestoreAt: String? = nil, feeders: [String] = [], areas: [String] = []) -> InboundEvent {
    .outage(OutageEvent(eventId: "\(id)-\(action.rawValue)-\(local)", outageId: id, kind: kind, action: action,
                        occurredAt: Fixtures.t(local), startAt: startAt.map(Fixtures.t), estRestoreAt: estRestoreAt.map(Fixtures.t),
                        feeders: feeders, areas: areas, cause: "test"))
}
