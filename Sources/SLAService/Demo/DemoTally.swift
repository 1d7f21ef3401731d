// What the ops desks would see: SLA events read back from the output topics and counted.

/// Counts emitted SLA events by stage and type, from their JSON as published.
///
/// Built from the output topics rather than from the workers' own counters, so the demo shows
/// what actually reached Kafka; a repeat (the same `event_id` twice) is counted once and
/// reported separately.
public struct DemoTally: Sendable {
    /// Per stage: cycles started, met, missed, stopped, warned and overdue.
    public struct Stage: Sendable, Equatable {
        public var started = 0, met = 0, missed = 0, stopped = 0, warnings = 0, overdue = 0
        /// Cycles running now (started and not yet ended).
        public var active: Int { max(0, started - met - missed - stopped) }
        /// Share of ended cycles that ended in time; nil before any ended.
        public var onTimeRate: Double? { met + missed == 0 ? nil : Double(met) / Double(met + missed) }
    }

    /// By stage id.
    public private(set) var stages: [String: Stage] = [:]
    /// Escalations by level (`urge`, `supervisor`, `leader` …).
    public private(set) var escalations: [String: Int] = [:]
    /// Fault tickets linked to outages.
    public private(set) var linked = 0
    /// Events seen more than once (at-least-once delivery; same id, same content).
    public private(set) var repeats = 0
    /// Distinct events seen.
    public var distinct: Int { seen.count }
    private var seen = Set<String>()

    /// An empty tally.
    public init() {}

    /// Counts one published event (its decoded JSON fields).
    public mutating func add(eventId: String, type: String, stage: String?, level: String?) {
        guard seen.insert(eventId).inserted else { repeats += 1; return }
        if type == "sla.linked" { linked += 1; return }
        let key = stage ?? "?"
        switch type {
        case "sla.started": stages[key, default: Stage()].started += 1
        case "sla.met": stages[key, default: Stage()].met += 1
        case "sla.missed": stages[key, default: Stage()].missed += 1
        case "sla.stopped": stages[key, default: Stage()].stopped += 1
        case "sla.warning": stages[key, default: Stage()].warnings += 1
        case "sla.overdue": stages[key, default: Stage()].overdue += 1
        case "sla.escalated": escalations[level ?? "?", default: 0] += 1
        default: break
        }
    }

    /// Totals over all stages.
    public var total: Stage {
        stages.values.reduce(into: Stage()) { t, s in
            t.started += s.started; t.met += s.met; t.missed += s.missed; t.stopped += s.stopped
            t.warnings += s.warnings; t.overdue += s.overdue
        }
    }
}
