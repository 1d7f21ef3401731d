// The rollups of one outcomes partition: cells, the outcomes they hold, scorecards; self-correcting.

/// Aggregates the outcomes of one partition of the outcomes topic into rollup cells and
/// monthly scorecards.
///
/// Every outcome is remembered in its *slot* until the retention horizon passes: a repeat of
/// an outcome (same id) is dropped, and a stage cycle's corrected verdict (same slot, new id)
/// takes the old verdict out of its cells before it is counted in its own. So cells stay
/// exact under at-least-once delivery and late corrections, and every changed cell gets a
/// higher revision. Changes are collected until ``takeChanges(asOf:)``: what to publish, and
/// the state records (changelog) that make them durable.
public struct RollupBook: Sendable {
    /// What ``apply(_:view:now:)`` did.
    public enum Disposition: String, Sendable {
        /// Counted for the first time.
        case applied
        /// Replaced the earlier verdict of its stage cycle.
        case corrected
        /// Already counted (same outcome id): nothing changed.
        case duplicate
        /// Older than the retention horizon: its slot may be gone, so it is not counted.
        case tooLate
    }

    /// What changed since the last ``takeChanges(asOf:)``.
    public struct Changes: Sendable {
        /// Changed cells, with their current numbers (a cell that became empty is still published, with zeros).
        public var cells: [(key: RollupKey, cell: RollupCell)] = []
        /// Changed scorecards.
        public var scorecards: [Scorecard] = []
        /// State records to write: key and value, nil = delete.
        public var state: [(key: String, value: [UInt8]?)] = []
    }

    private struct ScoreKey: Hashable { var month: String; var unit: String }
    private struct ScoreTally {
        var month: RollupWindow
        var met: Int64 = 0, missed: Int64 = 0, overdue: Int64 = 0, deductions: Int64 = 0, revision: Int64 = 0
    }

    public let calendar: BusinessCalendar
    public let rule: ScorecardRule
    /// How long (event time of the outcome, against the wall clock) slots and closed windows are kept.
    public let retention: TimeSpan
    private var cells: [RollupKey: RollupCell] = [:]
    /// The outcome counted per slot, and the ids it superseded (a repeat of one is stale, not news).
    private var slots: [String: (outcome: Outcome, superseded: [String])] = [:]
    private var tallies: [ScoreKey: ScoreTally] = [:]
    private var dirtyCells = Set<RollupKey>()
    private var dirtySlots = Set<String>()
    private var dirtyScores = Set<ScoreKey>()

    /// An empty book.
    public init(calendar: BusinessCalendar, rule: ScorecardRule, retention: TimeSpan) {
        self.calendar = calendar; self.rule = rule; self.retention = retention
    }

    /// Cells held.
    public var cellCount: Int { cells.count }
    /// Outcomes remembered.
    public var slotCount: Int { slots.count }

    /// A cell's numbers now.
    public func cell(_ key: RollupKey) -> RollupCell? { cells[key] }

    /// Every cell, in window then key order.
    public var allCells: [(key: RollupKey, cell: RollupCell)] { cells.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    /// Counts an outcome for a view (see ``RollupView``).
    public mutating func apply(_ o: Outcome, view: RollupView, now: Timestamp) -> Disposition {
        let slot = view.rawValue + "|" + o.slot
        let previous = slots[slot]
        // A repeat, also of a verdict already corrected (at-least-once delivery repeats a
        // partition's tail in order, so the correction's own repeat follows).
        if let previous, previous.outcome.outcomeId == o.outcomeId || previous.superseded.contains(o.outcomeId) { return .duplicate }
        if previous == nil, o.at < now.adding(TimeSpan(milliseconds: -retention.milliseconds)) { return .tooLate }
        if let previous { count(previous.outcome, view: view, sign: -1) }
        count(o, view: view, sign: 1)
        slots[slot] = (o, (previous.map { $0.superseded + [$0.outcome.outcomeId] } ?? []))
        dirtySlots.insert(slot)
        return previous == nil ? .applied : .corrected
    }

    private mutating func count(_ o: Outcome, view: RollupView, sign: Int64) {
        for key in RollupKey.cells(of: o, view: view, calendar: calendar) {
            var c = cells[key] ?? RollupCell()
            let before = c
            c.count(o, sign: sign)
            cells[key] = c
            dirtyCells.insert(key)
            score(key, before: before, after: c)
        }
    }

    /// Keeps the month scorecards in step with the unit view's month cells.
    private mutating func score(_ key: RollupKey, before: RollupCell?, after: RollupCell?) {
        guard key.view == .unit, key.window.grain == .month else { return }
        let sk = ScoreKey(month: key.window.label, unit: key.owner)
        var t = tallies[sk] ?? ScoreTally(month: key.window)
        for (c, sign) in [(before, Int64(-1)), (after, Int64(1))] {
            guard let c else { continue }
            t.met += sign * c.met; t.missed += sign * c.missed; t.overdue += sign * c.overdue
            t.deductions += sign * rule.deductions(stage: key.stage, overdue: c.overdue, missed: c.missed)
            t.revision += sign * c.revision
        }
        tallies[sk] = t
        dirtyScores.insert(sk)
    }

    /// Drops what is older than the retention horizon: slots of outcomes before it, and cells
    /// (with their scorecards) of windows that ended before it. Their deletions go to the state.
    public mutating func prune(now: Timestamp) {
        let horizon = now.adding(TimeSpan(milliseconds: -retention.milliseconds))
        for (slot, entry) in slots where entry.outcome.at < horizon {
            slots[slot] = nil
            dirtySlots.insert(slot)
        }
        for key in cells.keys where key.window.end < horizon {
            cells[key] = nil
            dirtyCells.remove(key)
            removedCells.append(key)
            if key.view == .unit, key.window.grain == .month {
                tallies[ScoreKey(month: key.window.label, unit: key.owner)] = nil
            }
        }
    }
    private var removedCells: [RollupKey] = []

    /// What changed since the last take, as values: cheap to take (no encoding, no sorting),
    /// so an owner can take it on its timer queue and encode it with ``Pending/encoded()``
    /// elsewhere — encoding a busy second's rollups took 45 ms, long enough to delay timers.
    public struct Pending: Sendable {
        var cells: [(key: RollupKey, cell: RollupCell)] = []
        var removed: [RollupKey] = []
        var slots: [(slot: String, entry: (outcome: Outcome, superseded: [String])?)] = []
        var scorecards: [Scorecard] = []

        /// Records it publishes: a rollup per changed cell and a scorecard per changed tally.
        public var publishCount: Int { cells.count + scorecards.count }

        /// Nothing changed.
        public var isEmpty: Bool { cells.isEmpty && removed.isEmpty && slots.isEmpty && scorecards.isEmpty }

        /// The changes in order (cells by key, slots by name, scorecards by month and unit),
        /// with the state records encoded.
        public func encoded() -> Changes {
            var out = Changes()
            out.cells = cells.sorted { $0.key < $1.key }
            out.state.reserveCapacity(cells.count + removed.count + slots.count)
            for (key, c) in out.cells {
                var w = ByteWriter()
                key.encode(into: &w); c.encode(into: &w)
                out.state.append((RollupBook.cellStateKey(key), w.bytes))
            }
            for key in removed { out.state.append((RollupBook.cellStateKey(key), nil)) }
            for (slot, entry) in slots.sorted(by: { $0.slot < $1.slot }) {
                guard let entry else { out.state.append(("s|" + slot, nil)); continue }
                var w = ByteWriter()
                entry.outcome.encode(into: &w)
                w.varint(UInt64(entry.superseded.count))
                for id in entry.superseded { w.string(id) }
                // Contract v1.3: the party charged, after what older states hold.
                if let c = entry.outcome.chargedTo { w.string(c) }
                out.state.append(("s|" + slot, w.bytes))
            }
            out.scorecards = scorecards.sorted { ($0.month.label, $0.unit) < ($1.month.label, $1.unit) }
            return out
        }
    }

    /// Hands over what changed, as values to encode later (see ``Pending``).
    public mutating func takePending() -> Pending {
        var out = Pending()
        out.cells.reserveCapacity(dirtyCells.count)
        for key in dirtyCells { if let c = cells[key] { out.cells.append((key, c)) } }
        out.removed = removedCells
        out.slots.reserveCapacity(dirtySlots.count)
        for slot in dirtySlots { out.slots.append((slot, slots[slot])) }
        for sk in dirtyScores {
            guard let t = tallies[sk] else { continue }
            out.scorecards.append(Scorecard(month: t.month, unit: sk.unit, met: t.met, missed: t.missed, overdue: t.overdue,
                                            deductions: t.deductions, revision: t.revision, assessBelow: rule.assessBelow))
        }
        dirtyCells.removeAll(keepingCapacity: true)
        dirtySlots.removeAll(keepingCapacity: true)
        dirtyScores.removeAll(keepingCapacity: true)
        removedCells.removeAll()
        return out
    }

    /// Hands over what changed: records to publish and state to write (``takePending()``, encoded).
    public mutating func takeChanges() -> Changes { takePending().encoded() }

    fileprivate static func cellStateKey(_ key: RollupKey) -> String { "c|" + key.text }

    /// Restores one state record written by ``takeChanges()`` (the latest per key, as read from
    /// the changelog). Scorecards are rebuilt from the month cells.
    public mutating func restore(key: String, value: [UInt8]) throws(StateDecodingError) {
        var r = ByteReader(value)
        if key.hasPrefix("c|") {
            let k = try RollupKey.decode(&r)
            let c = try RollupCell.decode(&r)
            score(k, before: cells[k], after: c)
            cells[k] = c
        } else if key.hasPrefix("s|") {
            var o = try Outcome.decode(&r)
            let n = try r.varint()
            guard n <= 1000 else { throw StateDecodingError(reason: "\(n) superseded verdicts in \"\(key)\"") }
            var superseded: [String] = []
            for _ in 0..<n { superseded.append(try r.string()) }
            if !r.atEnd { o.chargedTo = try r.string() }
            slots[String(key.dropFirst(2))] = (o, superseded)
        } else {
            throw StateDecodingError(reason: "unknown rollup state key \"\(key)\"")
        }
        guard r.atEnd else { throw StateDecodingError(reason: "trailing bytes in rollup state \"\(key)\"") }
        dirtyScores.removeAll()
    }
}
