// When an outage starts, started, is expected back and was restored, as its history says.

/// The instants of one outage's history that an event can contradict.
///
/// Both the tracker (the outage's clocks) and every instance's outage table (rule 1 linking)
/// refuse an event this timeline contradicts, so the two never disagree about an outage: a
/// `restored` dated before `started` used to end the outage in the table while its
/// restoration clock kept running and escalated. Each instant is taken from the latest event
/// (by `occurred_at`) that carried it, so the timeline is the same in any arrival order.
public struct OutageTimeline: Sendable, Equatable {
    /// A value and the `occurred_at` of the event that set it.
    struct Dated: Sendable, Equatable {
        var value: Timestamp
        var by: Timestamp
    }

    var startAt: Dated?
    var estRestoreAt: Dated?
    /// Earliest `started`.
    var startedAt: Timestamp?
    /// Earliest `restored`.
    var restoredAt: Timestamp?
    /// Latest `updated`.
    var updatedAt: Timestamp?

    /// A timeline with nothing known.
    public init() {}

    /// The timeline of a history.
    public init(_ facts: some Sequence<Fact>) {
        for f in facts { apply(f) }
    }

    /// Why `f` contradicts the history so far, or nil when it does not.
    public func contradiction(_ f: Fact) -> EventRejection? {
        let when = RFC3339.format(f.time, offsetSeconds: 0)
        func at(_ t: Timestamp) -> String { RFC3339.format(t, offsetSeconds: 0) }
        switch f.action {
        case .restored:
            if let s = startedAt, f.time < s { return EventRejection(field: "occurred_at", "restored at \(when), before the outage started at \(at(s))") }
            if let u = updatedAt, f.time < u { return EventRejection(field: "occurred_at", "restored at \(when), before the outage's update at \(at(u))") }
        case .started:
            if let r = restoredAt, f.time > r { return EventRejection(field: "occurred_at", "started at \(when), after the outage was restored at \(at(r))") }
        case .updated:
            if let r = restoredAt, f.time > r { return EventRejection(field: "action", "updated at \(when), after the outage was restored at \(at(r))") }
        default:
            break
        }
        let start = f.startAt ?? startAt?.value
        if let est = f.estRestoreAt {
            if let s = start, est < s { return EventRejection(field: "est_restore_at", "\(at(est)) is before the outage's start_at \(at(s))") }
            if let s = startedAt ?? (f.action == .started ? f.time : nil), est < s {
                return EventRejection(field: "est_restore_at", "\(at(est)) is before the outage started at \(at(s))")
            }
        } else if let s = f.startAt, let est = estRestoreAt?.value, est < s {
            return EventRejection(field: "start_at", "\(at(s)) is after the outage's est_restore_at \(at(est))")
        }
        // Starting later than the estimate said is news for the restoration clock, not a contradiction.
        return nil
    }

    /// Takes an accepted fact into account.
    public mutating func apply(_ f: Fact) {
        if let v = f.startAt, startAt.map({ f.time >= $0.by }) ?? true { startAt = Dated(value: v, by: f.time) }
        if let v = f.estRestoreAt, estRestoreAt.map({ f.time >= $0.by }) ?? true { estRestoreAt = Dated(value: v, by: f.time) }
        switch f.action {
        case .started: startedAt = min(startedAt ?? f.time, f.time)
        case .restored: restoredAt = min(restoredAt ?? f.time, f.time)
        case .updated: updatedAt = max(updatedAt ?? f.time, f.time)
        default: break
        }
    }
}
