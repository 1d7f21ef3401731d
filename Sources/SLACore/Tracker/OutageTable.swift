// The table of known outages by feeder and area, built from outage events.

/// Known outages, fed with every outage event, answering ``OutageLookup``.
///
/// An outage covers its feeders and areas from `started` (or `start_at` when only registered)
/// until `restored`; one registered but not yet `started` covers `start_at` … `est_restore_at`
/// (a started outage overrunning its estimate still covers); `cancelled` removes it.
public struct OutageTable: OutageLookup, Sendable {
    struct Entry: Sendable {
        var feeders: Set<String> = []
        var areas: Set<String> = []
        var startAt: Timestamp?
        var startedAt: Timestamp?
        var restoredAt: Timestamp?
        var cancelled = false
        var estRestoreAt: Timestamp?
        /// The earliest `occurred_at` of its events.
        var knownAt: Timestamp?
        /// Its history's instants, to refuse what contradicts them as the tracker does.
        var timeline = OutageTimeline()
        /// The events taken, so a repeat is checked as the tracker checks it: not at all.
        var seen = Set<UInt64>()
    }

    private var entries: [String: Entry] = [:]
    private var byFeeder: [String: Set<String>] = [:]
    private var byArea: [String: Set<String>] = [:]

    /// An empty table.
    public init() {}

    /// Number of outages known.
    public var count: Int { entries.count }

    /// Takes one outage event into account; returns why it was refused (it contradicts the
    /// outage's history, see ``OutageTimeline``), or nil when it was taken.
    @discardableResult
    public mutating func apply(_ e: OutageEvent) -> EventRejection? {
        var entry = entries[e.outageId] ?? Entry()
        let fact = Fact(.outage(e))
        guard entry.seen.insert(fact.eventHash).inserted else { return nil }
        if let why = entry.timeline.contradiction(fact) { return why }
        entry.timeline.apply(fact)
        for f in e.feeders where entry.feeders.insert(f).inserted { byFeeder[f, default: []].insert(e.outageId) }
        for a in e.areas where entry.areas.insert(a).inserted { byArea[a, default: []].insert(e.outageId) }
        if let s = e.startAt { entry.startAt = s }
        if let s = e.estRestoreAt { entry.estRestoreAt = s }
        entry.knownAt = min(entry.knownAt ?? e.occurredAt, e.occurredAt)
        switch e.action {
        case .started: entry.startedAt = min(entry.startedAt ?? e.occurredAt, e.occurredAt)
        case .restored: entry.restoredAt = e.occurredAt
        case .cancelled: entry.cancelled = true
        default: break
        }
        entries[e.outageId] = entry
        return nil
    }

    public func covering(feeder: String?, area: String?, at time: Timestamp) -> OutageMatch? {
        var candidates: [String] = []
        if let feeder, let ids = byFeeder[feeder] { candidates += ids }
        if let area, let ids = byArea[area] { candidates += ids }
        // Smallest id among the active ones, so the answer does not depend on set order.
        let id = candidates.sorted().first { id in
            guard let e = entries[id], !e.cancelled, let began = e.startedAt ?? e.startAt, began <= time else { return false }
            guard let until = e.restoredAt ?? (e.startedAt == nil ? e.estRestoreAt : nil) else { return true }
            return time < until
        }
        guard let id, let known = entries[id]?.knownAt else { return nil }
        return OutageMatch(outageId: id, knownAt: known)
    }

    /// Every feeder and area of every outage taken, cancelled and restored ones too.
    public func coveredPlaces() -> (feeders: Set<String>, areas: Set<String>)? { (Set(byFeeder.keys), Set(byArea.keys)) }

    /// The feeders and areas an outage covers (every event's, as taken so far).
    public func place(of outageId: String) -> (feeders: Set<String>, areas: Set<String>)? {
        entries[outageId].map { ($0.feeders, $0.areas) }
    }
}
