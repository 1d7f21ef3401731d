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

    /// The cycles, in no order; `index` finds one by key.
    private var storage: [BoardClock] = []
    private var index: [Key: Int] = [:]
    /// Per cycle, what the lists filter on, packed so that a request scans 100 000 cycles
    /// without touching their strings (docs/PERFORMANCE.md, the board).
    private var slots: [Slot] = []
    private var partyIds: [String: Int32] = [:]
    private var partyNames: [String] = []
    private var partyCycles: [Int] = []
    private var alarmCycle: [String: Key] = [:]
    /// Events applied.
    public private(set) var applied = 0
    /// The earliest `occurred_at` among the events read: the board knows nothing older.
    public private(set) var earliest: Timestamp?

    private struct Slot {
        enum Status: UInt8 { case open, alarmsOnly, alarmsOnlyOverdue, unresolved, met, missed, stopped }
        var status: Status
        var party: Int32
        /// The deadline (Int64.max when none), or for an ended cycle its end.
        var instant: Int64
        var startedAt: Int64
    }

    public init() {}

    /// Cycles on the board.
    public var count: Int { storage.count }

    /// Every cycle by key (for tests and tools; a request uses the lists).
    public var clocks: [Key: BoardClock] { index.mapValues { storage[$0] } }

    /// Applies one SLA event.
    public mutating func apply(_ e: BoardEvent) {
        applied += 1
        earliest = min(earliest ?? e.occurredAt, e.occurredAt)
        if e.type == .retracted {
            if let id = e.retractedEventId, let key = alarmCycle.removeValue(forKey: id), let i = index[key] {
                storage[i].alarms[id] = nil
                slots[i] = slot(storage[i])
            }
            return
        }
        guard e.type != .linked, !e.stage.isEmpty else { return }
        let key = Key(subjectType: e.subjectType, subjectId: e.subjectId, stage: e.stage, startedAt: e.startedAt)
        let existing = index[key]
        var c = existing.map { storage[$0] } ?? BoardClock(subjectType: e.subjectType, subjectId: e.subjectId, kind: e.kind, stage: e.stage,
                                                           cycle: e.cycle, unit: e.unit, chargedTo: e.chargedTo, startedAt: e.startedAt,
                                                           deadline: e.deadline, state: .alarmsOnly)
        let partyBefore = c.party
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
        if let i = existing {
            if partyBefore != c.party { partyCycles[Int(slots[i].party)] -= 1 }
            storage[i] = c
            slots[i] = slot(c, counting: partyBefore != c.party)
        } else {
            index[key] = storage.count
            storage.append(c)
            slots.append(slot(c, counting: true))
        }
    }

    private mutating func slot(_ c: BoardClock, counting: Bool = false) -> Slot {
        let party = partyId(c.party)
        if counting { partyCycles[Int(party)] += 1 }
        let status: Slot.Status, instant: Int64
        switch c.state {
        case .open: status = .open; instant = c.deadline?.milliseconds ?? .max
        case .alarmsOnly: status = c.overdueRaised ? .alarmsOnlyOverdue : .alarmsOnly; instant = c.deadline?.milliseconds ?? c.startedAt.milliseconds
        case .unresolved: status = .unresolved; instant = c.startedAt.milliseconds
        case .ended(let t, let at): status = t == .met ? .met : t == .missed ? .missed : .stopped; instant = at.milliseconds
        }
        return Slot(status: status, party: party, instant: instant, startedAt: c.startedAt.milliseconds)
    }

    private mutating func partyId(_ name: String) -> Int32 {
        if let id = partyIds[name] { return id }
        let id = Int32(partyNames.count)
        partyIds[name] = id
        partyNames.append(name)
        partyCycles.append(0)
        return id
    }

    /// The cycles whose slot passes `keep`, sorted by `order` (ties by subject and stage), at most `limit`.
    private func list(party: String?, limit: Int, order: (Slot) -> Int64, _ keep: (Slot) -> Bool) -> [BoardClock] {
        let wanted: Int32?
        if let party { guard let id = partyIds[party] else { return [] }; wanted = id } else { wanted = nil }
        var hits: [(Int64, Int)] = []
        for (i, s) in slots.enumerated() where (wanted == nil || s.party == wanted) && keep(s) { hits.append((order(s), i)) }
        hits.sort { a, b in
            if a.0 != b.0 { return a.0 < b.0 }
            let x = storage[a.1], y = storage[b.1]
            return (x.subjectId, x.stage) < (y.subjectId, y.stage)
        }
        return hits.prefix(limit).map { storage[$0.1] }
    }

    private func tally(party: String?, _ keep: (Slot) -> Bool) -> Int {
        let wanted: Int32?
        if let party { guard let id = partyIds[party] else { return 0 }; wanted = id } else { wanted = nil }
        var n = 0
        for s in slots where (wanted == nil || s.party == wanted) && keep(s) { n += 1 }
        return n
    }

    private static func isOverdue(_ s: Slot, _ now: Int64) -> Bool {
        (s.status == .open && s.instant <= now) || s.status == .alarmsOnlyOverdue
    }

    /// Running cycles whose deadline has passed, oldest deadline first (and cycles known only by
    /// an overdue alarm, the events topic not read that far yet); at most `limit`.
    public func overdue(now: Timestamp, party: String? = nil, limit: Int = .max) -> [BoardClock] {
        let t = now.milliseconds
        return list(party: party, limit: limit, order: \.instant) { Self.isOverdue($0, t) }
    }

    /// How many cycles ``overdue(now:party:limit:)`` lists without a limit.
    public func overdueCount(now: Timestamp, party: String? = nil) -> Int {
        let t = now.milliseconds
        return tally(party: party) { Self.isOverdue($0, t) }
    }

    /// Running cycles falling due after `now` and at most `within` later, soonest first; at most `limit`.
    public func due(now: Timestamp, within: TimeSpan, party: String? = nil, limit: Int = .max) -> [BoardClock] {
        let t = now.milliseconds, until = now.adding(within).milliseconds
        return list(party: party, limit: limit, order: \.instant) { $0.status == .open && $0.instant > t && $0.instant <= until }
    }

    /// How many cycles ``due(now:within:party:limit:)`` lists without a limit.
    public func dueCount(now: Timestamp, within: TimeSpan, party: String? = nil) -> Int {
        let t = now.milliseconds, until = now.adding(within).milliseconds
        return tally(party: party) { $0.status == .open && $0.instant > t && $0.instant <= until }
    }

    /// Cycles that cannot be timed, oldest start first; at most `limit`.
    public func unresolved(party: String? = nil, limit: Int = .max) -> [BoardClock] {
        list(party: party, limit: limit, order: \.startedAt) { $0.status == .unresolved }
    }

    /// How many cycles cannot be timed.
    public func unresolvedCount(party: String? = nil) -> Int { tally(party: party) { $0.status == .unresolved } }

    /// Today's verdicts (local day of `now` in the calendar's zone) per party and stage.
    public func todayRates(now: Timestamp, calendar: BusinessCalendar, party: String? = nil) -> [StageRate] {
        let (from, to) = Self.day(of: now, calendar)
        var counts: [Int32: [String: (met: Int, missed: Int)]] = [:]
        let wanted = party.map { partyIds[$0] ?? -1 }
        for (i, s) in slots.enumerated() where (s.status == .met || s.status == .missed) && s.instant >= from && s.instant < to {
            guard wanted == nil || s.party == wanted else { continue }
            let stage = storage[i].stage
            var n = counts[s.party, default: [:]][stage] ?? (0, 0)
            if s.status == .met { n.met += 1 } else { n.missed += 1 }
            counts[s.party, default: [:]][stage] = n
        }
        return counts.flatMap { p, stages in stages.map { StageRate(party: partyNames[Int(p)], stage: $0.key, met: $0.value.met, missed: $0.value.missed) } }
            .sorted { ($0.party, $0.stage) < ($1.party, $1.stage) }
    }

    /// The local day holding `t` as [start, end) in milliseconds.
    private static func day(of t: Timestamp, _ calendar: BusinessCalendar) -> (Int64, Int64) {
        let d = calendar.localDate(of: t)
        return (calendar.instant(of: d, secondsAfterMidnight: 0).milliseconds, calendar.instant(of: d.adding(days: 1), secondsAfterMidnight: 0).milliseconds)
    }

    /// Every party with a cycle on the board.
    public var parties: [String] { partyNames.indices.filter { partyCycles[$0] > 0 }.map { partyNames[$0] }.sorted() }

    /// Forgets cycles that ended before today (local day of `now`), and cycles known only by
    /// alarms due more than two days ago: the board shows today and what still runs.
    public mutating func prune(now: Timestamp, calendar: BusinessCalendar) {
        let (today, _) = Self.day(of: now, calendar)
        let stale = now.adding(.days(-2))
        var i = 0
        while i < storage.count {
            let c = storage[i], s = slots[i]
            let drop: Bool
            switch s.status {
            case .met, .missed, .stopped: drop = s.instant < today
            case .alarmsOnly, .alarmsOnlyOverdue: drop = c.alarms.values.allSatisfy { $0.at < stale }
            default: drop = false
            }
            guard drop else { i += 1; continue }
            for id in c.alarms.keys { alarmCycle[id] = nil }
            partyCycles[Int(s.party)] -= 1
            index[Key(subjectType: c.subjectType, subjectId: c.subjectId, stage: c.stage, startedAt: c.startedAt)] = nil
            // Swap-remove: the last cycle takes the hole.
            let last = storage.count - 1
            if i != last {
                storage[i] = storage[last]
                slots[i] = slots[last]
                let m = storage[i]
                index[Key(subjectType: m.subjectType, subjectId: m.subjectId, stage: m.stage, startedAt: m.startedAt)] = i
            }
            storage.removeLast()
            slots.removeLast()
        }
    }
}
