// Why a subject's clocks say what they say: every cycle's start, rule, limit, days and verdict.

/// How one subject's deadlines were worked out (`slawatch replay --explain`, `GET /tickets/{id}`).
public struct DeadlineExplanation: Sendable {
    /// One cycle of one stage.
    public struct Cycle: Sendable {
        public var stage: String
        public var rule: String
        public var title: String
        public var cycle: Int
        /// Who answers for it: at its end, or now while it runs.
        public var chargedTo: String?
        /// The event that started it: action, time and the hash of its `event_id`.
        public var startedBy: LifecycleAction
        public var startedAt: Timestamp
        public var startHash: UInt64
        /// The limit as the policy writes it (`by region: rural 90m`, `5wd`, `start_at − 7d`).
        public var limit: String
        public var deadline: Timestamp?
        public var warningAt: Timestamp?
        /// The ladder, each step at its instant.
        public var ladder: [(level: String, to: String, at: Timestamp)]
        /// The immediate escalation (rule 11), when the ticket was flagged.
        public var immediateAt: Timestamp?
        /// Every day walked for a working-day limit.
        public var days: [CalendarDay]
        public var provisional: Bool
        /// How it ended: the action (nil for a time, e.g. the planned start passing), when, and its hash.
        public var endedBy: LifecycleAction?
        public var endedAt: Timestamp?
        public var endHash: UInt64?
        /// `met`, `missed`, `stopped`, `running` or `waiting` (cannot be timed: ``waitingReason``).
        public var verdict: String
        public var waitingReason: String?
        /// The lead a missed notice fell short by.
        public var shortBy: TimeSpan?
    }

    public var subject: SubjectID
    public var kind: SubjectKind
    public var policyVersion: String
    public var calendarVersion: String
    /// The outage or the ticket already reported it is linked to, and since when.
    public var linkedOutage: String?
    public var linkedTicket: String?
    public var linkedAt: Timestamp?
    public var refusal: String?
    public var cycles: [Cycle]

    /// The explanation as one JSON object, instants at the calendar zone's offset; `eventIds`
    /// names starting and ending events by the hash of their `event_id` where the caller knows
    /// them (replay does; the daemon keeps only hashes).
    public func json(calendar: BusinessCalendar, eventIds: [UInt64: String] = [:]) -> [UInt8] {
        var j = JSONText()
        j.add(subject.type == .ticket ? "ticket_id" : "outage_id", subject.id)
        j.add("kind", kind.rawValue)
        j.add("policy_version", policyVersion)
        j.add("calendar_version", calendarVersion)
        if subject.type == .ticket { j.add("outage_id", linkedOutage) }
        j.add("related_ticket_id", linkedTicket)
        j.add("linked_at", linkedAt, in: calendar)
        j.add("refused", refusal)
        j.add("cycles", objects: cycles.map { c in
            var o = JSONText()
            o.add("stage", c.stage); o.add("rule", c.rule); o.add("title", c.title); o.add("cycle", Int64(c.cycle))
            o.add("charged_to", c.chargedTo)
            var start = JSONText()
            start.add("action", c.startedBy.rawValue)
            start.add("occurred_at", c.startedAt, in: calendar)
            start.add("event_id", eventIds[c.startHash])
            o.add("started_by", object: start)
            o.add("limit", c.limit)
            o.add("deadline", c.deadline, in: calendar)
            o.add("warning_at", c.warningAt, in: calendar)
            o.add("ladder", objects: c.ladder.map { step in
                var s = JSONText()
                s.add("level", step.level); s.add("to", step.to); s.add("at", step.at, in: calendar)
                return s
            })
            o.add("immediate_escalation_at", c.immediateAt, in: calendar)
            if !c.days.isEmpty {
                o.add("calendar_days", objects: c.days.map { d in
                    var s = JSONText()
                    s.add("date", d.date.description); s.add("day", d.kind.rawValue)
                    s.add("counted", d.counted.map(Int64.init))
                    s.add("status", d.provisional ? "provisional" : "official")
                    return s
                })
            }
            o.add("calendar_status", c.provisional ? "provisional" : nil)
            if c.endedAt != nil {
                var end = JSONText()
                end.add("action", c.endedBy?.rawValue ?? "time")
                end.add("occurred_at", c.endedAt, in: calendar)
                end.add("event_id", c.endHash.flatMap { eventIds[$0] })
                o.add("ended_by", object: end)
            }
            o.add("verdict", c.verdict)
            o.add("waiting_reason", c.waitingReason)
            o.add("short_by_seconds", c.shortBy.map { Double($0.milliseconds) / 1000 })
            return o
        })
        return j.bytes()
    }

    /// The explanation for people, one line per fact.
    public func text(calendar: BusinessCalendar, eventIds: [UInt64: String] = [:]) -> String {
        func at(_ t: Timestamp?) -> String { t.map(calendar.format) ?? "-" }
        func id(_ h: UInt64?) -> String { h.flatMap { eventIds[$0] }.map { " (\($0))" } ?? "" }
        var out = "\(subject.type.rawValue) \(subject.id) (\(kind.rawValue)): policy \(policyVersion), calendar \(calendarVersion)\n"
        if let o = linkedOutage { out += "  linked to outage \(o) at \(at(linkedAt)) (rule 1): no repair clock\n" }
        if let t = linkedTicket { out += "  linked to ticket \(t) already reported, at \(at(linkedAt)) (rule 1): no repair clock\n" }
        if let r = refusal { out += "  refused: \(r)\n" }
        if cycles.isEmpty { out += "  no clock\n" }
        for c in cycles {
            out += "\n  \(c.stage) cycle \(c.cycle) — rule \(c.rule): \(c.title)\n"
            out += "    started by \(c.startedBy.rawValue) at \(at(c.startedAt))\(id(c.startHash))\n"
            out += "    limit \(c.limit); charged to \(c.chargedTo ?? "-")\n"
            for d in c.days {
                let n = d.counted.map { "counted \($0) of \(c.days.compactMap(\.counted).count)" } ?? "not counted"
                out += "      \(d.date) \(d.kind.rawValue.replacingOccurrences(of: "_", with: " ")), \(n)\(d.provisional ? ", provisional" : "")\n"
            }
            out += "    deadline \(at(c.deadline))\(c.provisional ? " (provisional)" : "")"
            if let w = c.warningAt { out += ", warning at \(at(w))" }
            out += "\n"
            for step in c.ladder { out += "    escalation \(step.level) → \(step.to) at \(at(step.at))\n" }
            if let i = c.immediateAt { out += "    immediate escalation at \(at(i))\n" }
            if let end = c.endedAt {
                out += "    ended by \(c.endedBy?.rawValue ?? "the instant passing") at \(at(end))\(id(c.endHash)): \(c.verdict)"
                if let s = c.shortBy { out += ", short by \(s)" }
                out += "\n"
            } else {
                out += "    \(c.verdict)\(c.waitingReason.map { ": \($0)" } ?? "")\n"
            }
        }
        return out
    }
}
