// The rollups of one outcomes partition: cells, the outcomes they hold, scorecards; self-correcting.

/// Aggregates the outcomes of one partition of the outcomes topic into rollup cells, monthly
/// scorecards of units and agents, and their yearly stars.
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
        /// Changed scorecards (units' and agents').
        public var scorecards: [Scorecard] = []
        /// Changed yearly star ratings.
        public var stars: [StarRating] = []
        /// Changed stage cycles (the ticket-level list).
        public var verdicts: [VerdictRow] = []
        /// State records to write: key and value, nil = delete.
        public var state: [(key: String, value: [UInt8]?)] = []
    }

    private struct ScoreKey: Hashable { var view: RollupView; var month: String; var owner: String }
    private struct YearKey: Hashable { var view: RollupView; var year: String; var owner: String }
    private struct ScoreTally {
        var month: RollupWindow
        var revision: Int64 = 0
        /// Per stage: met, missed, overdue (summed over kinds and regions).
        var stages: [String: (met: Int64, missed: Int64, overdue: Int64)] = [:]
    }

    public let calendar: BusinessCalendar
    public let rule: ScorecardRule
    /// How long (event time of the outcome, against the wall clock) slots and closed windows are kept.
    public let retention: TimeSpan
    private var cells: [RollupKey: RollupCell] = [:]
    /// The outcome counted per slot, and the ids it superseded (a repeat of one is stale, not news).
    private var slots: [String: (outcome: Outcome, superseded: [String])] = [:]
    private var tallies: [ScoreKey: ScoreTally] = [:]
    /// Each owner's year: the monthly scores it keeps after their month cells are pruned.
    private var years: [YearKey: StarRating] = [:]
    private var dirtyYears = Set<YearKey>()
    private var dirtyCells = Set<RollupKey>()
    private var dirtySlots = Set<String>()
    private var dirtyScores = Set<ScoreKey>()
    /// Stage cycles whose verdict or overdue slot changed (unit view).
    private var dirtyCycles = Set<String>()
    /// No slot's outcome, cell's window end or year's end is earlier (a lower bound, exact after
    /// a prune): a prune whose horizon is not past it has nothing to drop and skips the scan —
    /// a replay of a month never scans, however often its virtual hours pass.
    private var earliestHeld: Timestamp?
    private mutating func holds(_ t: Timestamp) { if earliestHeld.map({ t < $0 }) ?? true { earliestHeld = t } }

    /// An empty book.
    public init(calendar: BusinessCalendar, rule: ScorecardRule, retention: TimeSpan) {
        self.calendar = calendar; self.rule = rule; self.retention = retention
    }

    /// A book that keeps only the cells of `grains` (the month's always: the scorecards are made
    /// of them). For a caller that needs scorecards, verdict rows and stars but no hourly or
    /// daily cells — `slawatch replay --compare` — at a fifth of the cells.
    public init(calendar: BusinessCalendar, rule: ScorecardRule, retention: TimeSpan, grains: Set<RollupGrain>) {
        self.init(calendar: calendar, rule: rule, retention: retention)
        self.grains = grains.union([.month])
    }

    /// The grains whose cells are kept.
    public private(set) var grains = Set(RollupGrain.allCases)

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
        var o = o
        let horizon = now.adding(TimeSpan(milliseconds: -retention.milliseconds))
        // A receipt past the retention horizon: its windows are gone (published and dropped),
        // so the volume counts at its own time rather than nowhere.
        if let received = o.receivedAt, received < horizon { o.receivedAt = nil }
        let slot = view.rawValue + "|" + o.slot
        let previous = slots[slot]
        // A repeat, also of a verdict already corrected (at-least-once delivery repeats a
        // partition's tail in order, so the correction's own repeat follows).
        if let previous, previous.outcome.outcomeId == o.outcomeId || previous.superseded.contains(o.outcomeId) { return .duplicate }
        // A ticket's closure or callback: the latest in event time stands, whatever the arrival order.
        if let previous, [.closed, .callback, .received, .handled, .answered].contains(o.result), previous.outcome.at > o.at { return .duplicate }
        if previous == nil, o.at < horizon { return .tooLate }
        if let previous { count(previous.outcome, view: view, sign: -1) }
        count(o, view: view, sign: 1)
        slots[slot] = (o, (previous.map { $0.superseded + [$0.outcome.outcomeId] } ?? []))
        holds(o.windowAt)
        dirtySlots.insert(slot)
        if view == .unit, let cycle = o.cycleKey { dirtyCycles.insert(cycle) }
        return previous == nil ? .applied : .corrected
    }

    private mutating func count(_ o: Outcome, view: RollupView, sign: Int64) {
        for key in RollupKey.cells(of: o, view: view, calendar: calendar) where grains.contains(key.window.grain) {
            var c = cells[key] ?? RollupCell()
            if c.revision == 0 { holds(key.window.end) }
            let before = c
            c.count(o, sign: sign)
            cells[key] = c
            dirtyCells.insert(key)
            score(key, before: before, after: c)
        }
    }

    /// Keeps the month scorecards in step with the month cells: a unit's from its unit-view
    /// cells, an agent's from its cells of one stage (its all-stages cell would count twice).
    private mutating func score(_ key: RollupKey, before: RollupCell?, after: RollupCell?) {
        guard key.window.grain == .month, key.view == .unit || !key.stage.isEmpty else { return }
        let sk = ScoreKey(view: key.view, month: key.window.label, owner: key.owner)
        var t = tallies[sk] ?? ScoreTally(month: key.window)
        for (c, sign) in [(before, Int64(-1)), (after, Int64(1))] {
            guard let c else { continue }
            var s = t.stages[key.stage] ?? (0, 0, 0)
            s.met += sign * c.met; s.missed += sign * c.missed; s.overdue += sign * c.overdue
            t.stages[key.stage] = s
            t.revision += sign * c.revision
        }
        t.stages = t.stages.filter { $0.value != (0, 0, 0) }
        tallies[sk] = t
        dirtyScores.insert(sk)
    }

    /// Drops what is older than the retention horizon: slots of outcomes before it, and cells
    /// (with their scorecards) of windows that ended before it. Their deletions go to the state.
    public mutating func prune(now: Timestamp) {
        let horizon = now.adding(TimeSpan(milliseconds: -retention.milliseconds))
        if let earliest = earliestHeld, earliest >= horizon { return }
        // One pass over each table: what is past the horizon goes, what stays makes the bound
        // exact again.
        earliestHeld = nil
        for (slot, entry) in slots {
            // A slot goes with the earliest window it counts in: a correction later would
            // otherwise take it out of a cell that is gone.
            guard entry.outcome.windowAt < horizon else { holds(entry.outcome.windowAt); continue }
            slots[slot] = nil
            dirtySlots.insert(slot)
        }
        for key in cells.keys {
            guard key.window.end < horizon else { holds(key.window.end); continue }
            cells[key] = nil
            dirtyCells.remove(key)
            removedCells.append(key)
            if key.window.grain == .month {
                tallies[ScoreKey(view: key.view, month: key.window.label, owner: key.owner)] = nil
            }
        }
        for (yk, rating) in years {
            guard rating.year.end < horizon else { holds(rating.year.end); continue }
            years[yk] = nil
            dirtyYears.remove(yk)
            removedYears.append(yk)
        }
    }
    private var removedYears: [YearKey] = []
    private var removedCells: [RollupKey] = []

    /// What changed since the last take, as values: cheap to take (no encoding, no sorting),
    /// so an owner can take it on its timer queue and encode it with ``Pending/encoded()``
    /// elsewhere — encoding a busy second's rollups took 45 ms, long enough to delay timers.
    public struct Pending: Sendable {
        var cells: [(key: RollupKey, cell: RollupCell)] = []
        var removed: [RollupKey] = []
        var slots: [(slot: String, entry: (outcome: Outcome, superseded: [String])?)] = []
        var scorecards: [Scorecard] = []
        var verdicts: [VerdictRow] = []
        var stars: [StarRating] = []
        var removedYears: [String] = []

        /// Records it publishes: a rollup per changed cell, a scorecard per changed tally, a row per
        /// changed cycle, a rating per changed year.
        public var publishCount: Int { cells.count + scorecards.count + verdicts.count + stars.count }

        /// The scorecards that changed (units' and agents').
        public var changedScorecards: [Scorecard] { scorecards }

        /// Nothing changed.
        public var isEmpty: Bool { cells.isEmpty && removed.isEmpty && slots.isEmpty && scorecards.isEmpty && stars.isEmpty && removedYears.isEmpty }

        /// The changes in order (cells by key, slots by name, scorecards by month and unit),
        /// with the state records encoded.
        public func encoded() -> Changes {
            var out = Changes()
            // Each key's text once: comparing keys builds it, and a busy checkpoint sorts many.
            let keyed = cells.map { (text: $0.key.text, key: $0.key, cell: $0.cell) }
                .sorted { ($0.key.window, $0.text) < ($1.key.window, $1.text) }
            out.cells = keyed.map { ($0.key, $0.cell) }
            out.state.reserveCapacity(cells.count + removed.count + slots.count)
            for k in keyed {
                var w = ByteWriter()
                k.key.encode(into: &w); k.cell.encode(into: &w)
                out.state.append(("c|" + k.text, w.bytes))
            }
            for key in removed { out.state.append((RollupBook.cellStateKey(key), nil)) }
            for (slot, entry) in slots.sorted(by: { $0.slot < $1.slot }) {
                guard let entry else { out.state.append(("s|" + slot, nil)); continue }
                var w = ByteWriter()
                entry.outcome.encode(into: &w)
                w.varint(UInt64(entry.superseded.count))
                for id in entry.superseded { w.string(id) }
                // Contract v1.3: the party charged, the cycle's start and ordinal, after what older states hold.
                w.string(entry.outcome.chargedTo ?? "")
                w.signed(entry.outcome.startedAt?.milliseconds ?? Int64.min)
                w.varint(UInt64(entry.outcome.cycle ?? 0))
                w.byte(entry.outcome.firstTime.map { $0 ? 2 : 1 } ?? 0)
                // Contract v1.5: the receipt a volume counts at.
                w.signed(entry.outcome.receivedAt?.milliseconds ?? Int64.min)
                out.state.append(("s|" + slot, w.bytes))
            }
            out.scorecards = scorecards.sorted { ($0.month.label, $0.view.rawValue, $0.owner) < ($1.month.label, $1.view.rawValue, $1.owner) }
            out.verdicts = verdicts.sorted { $0.cycleKey < $1.cycleKey }
            out.stars = stars.sorted { $0.keyText < $1.keyText }
            for rating in out.stars {
                var w = ByteWriter()
                rating.encode(into: &w)
                out.state.append((RollupBook.yearStateKey(rating.view, rating.year.label, rating.owner), w.bytes))
            }
            for key in removedYears { out.state.append((key, nil)) }
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
            let card = scorecard(sk, t)
            out.scorecards.append(card)
            // The year keeps the month's score (its cells go after the retention, the year's do not).
            let yw = RollupWindow.of(t.month.start, .year, calendar: calendar)
            let yk = YearKey(view: sk.view, year: yw.label, owner: sk.owner)
            var rating = years[yk] ?? StarRating(view: sk.view, owner: sk.owner, year: yw, months: [], bands: rule.stars)
            if rating.record(.init(label: t.month.label, score: card.score, graded: card.graded, verdicts: card.verdicts, revision: card.revision)) {
                years[yk] = rating
                holds(yw.end)
                dirtyYears.insert(yk)
            }
        }
        for yk in dirtyYears { if let r = years[yk] { out.stars.append(r) } }
        out.removedYears = removedYears.map { Self.yearStateKey($0.view, $0.year, $0.owner) }
        dirtyYears.removeAll(keepingCapacity: true)
        removedYears.removeAll()
        for cycle in dirtyCycles {
            let v = slots["unit|" + cycle].map { ($0.outcome, $0.superseded.count) }
            let o = slots["unit|" + cycle + ":sla.overdue"].map { ($0.outcome, $0.superseded.count) }
            if let row = VerdictRow(cycleKey: cycle, verdict: v, overdue: o, calendar: calendar) { out.verdicts.append(row) }
        }
        dirtyCycles.removeAll(keepingCapacity: true)
        dirtyCells.removeAll(keepingCapacity: true)
        dirtySlots.removeAll(keepingCapacity: true)
        dirtyScores.removeAll(keepingCapacity: true)
        removedCells.removeAll()
        return out
    }

    /// A unit's month under the rule: each stage's deductions (only from its verdicts under
    /// `rate`), their sum, the grade.
    private func scorecard(_ sk: ScoreKey, _ t: ScoreTally) -> Scorecard {
        var stages: [Scorecard.Stage] = []
        for (id, s) in t.stages.sorted(by: { $0.key < $1.key }) {
            stages.append(Scorecard.Stage(stage: id, met: s.met, missed: s.missed, overdue: s.overdue, target: rule.rule(for: id).target,
                                          deductions: rule.deductions(stage: id, met: s.met, missed: s.missed, overdue: s.overdue)))
        }
        var card = Scorecard(month: t.month, owner: sk.owner, view: sk.view, met: stages.reduce(0) { $0 + $1.met }, missed: stages.reduce(0) { $0 + $1.missed },
                             overdue: stages.reduce(0) { $0 + $1.overdue }, deductions: stages.reduce(0) { $0 + $1.deductions },
                             revision: t.revision, assessBelow: rule.assessBelow)
        card.stages = stages
        card.method = rule.method
        card.minVolume = rule.minVolume
        return card
    }

    /// Hands over what changed: records to publish and state to write (``takePending()``, encoded).
    public mutating func takeChanges() -> Changes { takePending().encoded() }

    fileprivate static func cellStateKey(_ key: RollupKey) -> String { "c|" + key.text }
    fileprivate static func yearStateKey(_ view: RollupView, _ year: String, _ owner: String) -> String {
        "y|\(view.rawValue)|\(year)|\(RollupKey.escaped(owner))"
    }

    /// The scorecards of one month now, of one view (a restored book publishes none until
    /// something changes; the daemon's gauges read them here).
    public func scorecards(month label: String, view: RollupView) -> [Scorecard] {
        tallies.filter { $0.key.month == label && $0.key.view == view }.map { scorecard($0.key, $0.value) }
    }

    /// A year's star rating now.
    public func stars(view: RollupView, year: String, owner: String) -> StarRating? { years[YearKey(view: view, year: year, owner: owner)] }

    /// Restores one state record written by ``takeChanges()`` (the latest per key, as read from
    /// the changelog). Scorecards are rebuilt from the month cells.
    public mutating func restore(key: String, value: [UInt8]) throws(StateDecodingError) {
        var r = ByteReader(value)
        if key.hasPrefix("c|") {
            let k = try RollupKey.decode(&r)
            let c = try RollupCell.decode(&r)
            score(k, before: cells[k], after: c)
            cells[k] = c
            holds(k.window.end)
        } else if key.hasPrefix("s|") {
            var o = try Outcome.decode(&r)
            let n = try r.varint()
            guard n <= 1000 else { throw StateDecodingError(reason: "\(n) superseded verdicts in \"\(key)\"") }
            var superseded: [String] = []
            for _ in 0..<n { superseded.append(try r.string()) }
            if !r.atEnd { let c = try r.string(); o.chargedTo = c.isEmpty ? nil : c }
            if !r.atEnd { let s = try r.signed(); o.startedAt = s == Int64.min ? nil : Timestamp(milliseconds: s) }
            if !r.atEnd { let n = try r.varint(); o.cycle = n == 0 || n > 1_000_000 ? nil : Int(n) }
            if !r.atEnd { let b = try r.byte(); o.firstTime = b == 0 ? nil : b == 2 }
            if !r.atEnd { let s = try r.signed(); o.receivedAt = s == Int64.min ? nil : Timestamp(milliseconds: s) }
            slots[String(key.dropFirst(2))] = (o, superseded)
            holds(o.windowAt)
        } else if key.hasPrefix("y|") {
            let rating = try StarRating.decode(&r, bands: rule.stars)
            years[YearKey(view: rating.view, year: rating.year.label, owner: rating.owner)] = rating
            holds(rating.year.end)
        } else {
            throw StateDecodingError(reason: "unknown rollup state key \"\(key)\"")
        }
        guard r.atEnd else { throw StateDecodingError(reason: "trailing bytes in rollup state \"\(key)\"") }
        dirtyScores.removeAll()
    }
}
