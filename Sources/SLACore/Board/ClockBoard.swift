// The ops desk's view of every clock in the group, rebuilt from the published SLA events.

/// Every stage cycle the SLA events name, kept as the desk needs it: what is overdue now, what
/// falls due soon, what cannot be timed, and today's on-time rate per party and stage.
///
/// It is built from the output topics alone, so any instance can hold the whole group's board.
/// The events and escalations topics are read independently, so their events interleave in any
/// order; each kind of event is applied so that the order between the two topics does not
/// matter: alarms are kept per cycle whatever its state, and a cycle seen only through its
/// alarms is shown once the alarm says it is overdue. Within a topic a subject's events come in
/// the order they were published, and the last verdict given for a cycle is its truth.
public struct ClockBoard: Sendable {
    /// A cycle's identity: the subject, the stage and the cycle's start (docs/events.md).
    public struct Key: Hashable, Sendable {
        public var subjectType: SubjectType
        public var subjectId: String
        public var stage: String
        public var startedAt: Timestamp
    }

    /// One party's verdicts of today in one stage.
    public struct StageRate: Sendable, Equatable {
        public var party: String
        public var stage: String
        public var met: Int
        public var missed: Int
        /// met ÷ (met + missed).
        public var onTimeRate: Double { met + missed > 0 ? Double(met) / Double(met + missed) : 1 }
    }

    public private(set) var clocks: [Key: BoardClock] = [:]
    private var alarmCycle: [String: Key] = [:]
    /// Events applied.
    public private(set) var applied = 0
    /// The earliest `occurred_at` among the events read: the board knows nothing older.
    public private(set) var earliest: Timestamp?

    public init() {}

    /// Applies one SLA event.
    public mutating func apply(_ e: BoardEvent) {
        applied += 1
        earliest = min(earliest ?? e.occurredAt, e.occurredAt)
        if e.type == .retracted {
            if let id = e.retractedEventId, let key = alarmCycle.removeValue(forKey: id) { clocks[key]?.alarms[id] = nil }
            return
        }
        guard e.type != .linked, !e.stage.isEmpty else { return }
        let key = Key(subjectType: e.subjectType, subjectId: e.subjectId, stage: e.stage, startedAt: e.startedAt)
        var c = clocks[key] ?? BoardClock(subjectType: e.subjectType, subjectId: e.subjectId, kind: e.kind, stage: e.stage, cycle: e.cycle,
                                          unit: e.unit, chargedTo: e.chargedTo, startedAt: e.startedAt, deadline: e.deadline, state: .alarmsOnly)
        c.unit = c.unit ?? e.unit
        c.chargedTo = e.chargedTo ?? c.chargedTo
        if c.kind.isEmpty { c.kind = e.kind }
        switch e.type {
        case .started:
            c.state = .open
            c.deadline = e.deadline ?? c.deadline
        case .rescheduled:
            c.deadline = e.deadline ?? c.deadline
            if case .alarmsOnly = c.state { c.state = .open }
        case .unresolved:
            if case .ended = c.state {} else { c.state = .unresolved(reason: e.reason ?? "", missing: e.missing) }
        case .warning, .overdue, .escalated:
            c.alarms[e.eventId] = BoardClock.Alarm(type: e.type, level: e.level, at: e.occurredAt)
            alarmCycle[e.eventId] = key
            if c.deadline == nil { c.deadline = e.deadline }
        case .met, .missed, .stopped:
            c.state = .ended(e.type, at: e.occurredAt)
        case .linked, .retracted:
            return
        }
        clocks[key] = c
    }

    /// Running cycles whose deadline has passed, oldest deadline first (and cycles known only by
    /// an overdue alarm, the events topic not read that far yet).
    public func overdue(now: Timestamp, party: String? = nil) -> [BoardClock] {
        clocks.values.filter { c in
            guard party == nil || c.party == party else { return false }
            switch c.state {
            case .open: return c.deadline.map { $0 <= now } ?? false
            case .alarmsOnly: return c.overdueRaised
            default: return false
            }
        }.sorted(by: Self.byDeadline)
    }

    /// Running cycles falling due after `now` and at most `within` later, soonest first.
    public func due(now: Timestamp, within: TimeSpan, party: String? = nil) -> [BoardClock] {
        let until = now.adding(within)
        return clocks.values.filter { c in
            guard party == nil || c.party == party, c.state == .open, let d = c.deadline else { return false }
            return d > now && d <= until
        }.sorted(by: Self.byDeadline)
    }

    /// Cycles that cannot be timed, oldest start first.
    public func unresolved(party: String? = nil) -> [BoardClock] {
        clocks.values.filter { c in
            guard party == nil || c.party == party, case .unresolved = c.state else { return false }
            return true
        }.sorted { ($0.startedAt, $0.subjectId, $0.stage) < ($1.startedAt, $1.subjectId, $1.stage) }
    }

    /// Today's verdicts (local day of `now` in the calendar's zone) per party and stage.
    public func todayRates(now: Timestamp, calendar: BusinessCalendar, party: String? = nil) -> [StageRate] {
        let today = calendar.localDate(of: now)
        var counts: [String: [String: (met: Int, missed: Int)]] = [:]
        for c in clocks.values {
            guard party == nil || c.party == party, case .ended(let type, let at) = c.state, type != .stopped,
                  calendar.localDate(of: at) == today else { continue }
            var n = counts[c.party, default: [:]][c.stage] ?? (0, 0)
            if type == .met { n.met += 1 } else { n.missed += 1 }
            counts[c.party, default: [:]][c.stage] = n
        }
        return counts.flatMap { p, stages in stages.map { StageRate(party: p, stage: $0.key, met: $0.value.met, missed: $0.value.missed) } }
            .sorted { ($0.party, $0.stage) < ($1.party, $1.stage) }
    }

    /// Every party with a cycle on the board.
    public var parties: [String] { Set(clocks.values.map(\.party)).sorted() }

    /// Forgets cycles that ended before today (local day of `now`), and cycles known only by
    /// alarms due more than two days ago: the board shows today and what still runs.
    public mutating func prune(now: Timestamp, calendar: BusinessCalendar) {
        let today = calendar.localDate(of: now)
        let stale = now.adding(.days(-2))
        for (key, c) in clocks {
            let drop: Bool
            switch c.state {
            case .ended(_, let at): drop = calendar.localDate(of: at) < today
            case .alarmsOnly: drop = c.alarms.values.allSatisfy { $0.at < stale }
            default: drop = false
            }
            guard drop else { continue }
            for id in c.alarms.keys { alarmCycle[id] = nil }
            clocks[key] = nil
        }
    }

    private static func byDeadline(_ a: BoardClock, _ b: BoardClock) -> Bool {
        (a.deadline ?? a.startedAt, a.subjectId, a.stage) < (b.deadline ?? b.startedAt, b.subjectId, b.stage)
    }
}
