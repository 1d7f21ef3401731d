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
    /// What a month scorecard takes from one of its cells.
    private struct ScorePart {
        var met: Int64, missed: Int64, overdue: Int64, revision: Int64
        init(_ c: RollupCell) { met = c.met; missed = c.missed; overdue = c.overdue; revision = c.revision }
    }
    private struct ScoreTally {
        var month: RollupWindow
        var revision: Int64 = 0
        /// Per stage: met, missed, overdue (summed over kinds and regions); no stage at zero.
        var stages: [String: (met: Int64, missed: Int64, overdue: Int64)] = [:]

        /// One cell of `stage` changed from `before` to `after`.
        mutating func add(stage: String, before: ScorePart?, after: ScorePart?) {
            var s = stages[stage] ?? (0, 0, 0)
            for (c, sign) in [(before, Int64(-1)), (after, Int64(1))] {
                guard let c else { continue }
                s.met += sign * c.met; s.missed += sign * c.missed; s.overdue += sign * c.overdue
                revision += sign * c.revision
            }
            stages[stage] = s == (0, 0, 0) ? nil : s
        }
    }

    public let calendar: BusinessCalendar
    public let rule: ScorecardRule
    /// How long (event time of the outcome, against the wall clock) slots and closed windows are kept.
    public let retention: TimeSpan
    private var cells: [RollupKey: RollupCell] = [:]
    /// The outcome counted per slot, the ids it superseded, and the batch that stores it.
    private var slots: [String: RollupSlot] = [:]
    /// Which slot batches of the state still hold a current slot.
    private var generations = SlotGenerations()
    /// `s|` records (one slot each, as state before slot batches was written) whose slot moved to
    /// a batch or was dropped: deleted at the next take.
    private var ownRecordsGone: [String] = []
    /// Slots dropped since the last take, with the batch that holds their last written version.
    private var gone: [String: Int64] = [:]
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
    /// Slot batches (`g|<n>` state records) that hold a current slot.
    public var slotBatchCount: Int { generations.count }

    /// Largest slot batch, in bytes of its entries: the state a take writes per partition is cut
    /// into batches of at most this much (the producer's `message.max.bytes` bounds a record).
    public var slotBatchBytes = 256 * 1024

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
        let keep = max(previous?.keepUntil ?? o.windowAt, o.windowAt)
        slots[slot] = RollupSlot(outcome: o, superseded: previous.map { $0.superseded + [$0.outcome.outcomeId] } ?? [],
                                 generation: previous?.generation ?? Self.unwritten, keepUntil: keep)
        holds(keep)
        dirtySlots.insert(slot)
        if view == .unit, let cycle = o.cycleKey { dirtyCycles.insert(cycle) }
        return previous == nil ? .applied : .corrected
    }

    private mutating func count(_ o: Outcome, view: RollupView, sign: Int64) {
        for key in RollupKey.cells(of: o, view: view, windows: windows(of: o.windowAt)) where grains.contains(key.window.grain) {
            var index = cells.index(forKey: key)
            if index == nil {
                // Taking an outcome out of a cell that is gone (its window was pruned: a slot kept
                // longer for an older version) leaves the gone cell's last numbers as they stood.
                if sign < 0 { continue }
                cells[key] = RollupCell()
                holds(key.window.end)
                index = cells.index(forKey: key)
            }
            guard let i = index else { continue }
            let scored = Self.scores(key)
            let before = scored ? ScorePart(cells.values[i]) : nil
            // In place: a copy of the cell out of the table would copy its histogram to change it.
            cells.values[i].count(o, sign: sign)
            dirtyCells.insert(key)
            if scored { score(key, before: before, after: ScorePart(cells.values[i])) }
        }
    }

    /// The windows of every grain that hold `t`. Outcomes come about in time order, so most fall
    /// in the windows of the one before: those are kept, as working one out costs calendar
    /// arithmetic and a label.
    private mutating func windows(of t: Timestamp) -> [RollupWindow] {
        if recentWindows.isEmpty { recentWindows = RollupGrain.allCases.map { RollupWindow.of(t, $0, calendar: calendar) } }
        for (i, grain) in RollupGrain.allCases.enumerated() where !(recentWindows[i].start <= t && t < recentWindows[i].end) {
            recentWindows[i] = RollupWindow.of(t, grain, calendar: calendar)
        }
        return recentWindows
    }
    private var recentWindows: [RollupWindow] = []

    /// A month cell a scorecard is made of: a unit's cells, an agent's cells of one stage (its
    /// all-stages cell would count twice).
    private static func scores(_ key: RollupKey) -> Bool { key.window.grain == .month && (key.view == .unit || !key.stage.isEmpty) }

    /// Keeps the month scorecards in step with the month cells.
    private mutating func score(_ key: RollupKey, before: ScorePart?, after: ScorePart?) {
        guard Self.scores(key) else { return }
        let sk = ScoreKey(view: key.view, month: key.window.label, owner: key.owner)
        // In place: a copy of the tally would copy its table of stages.
        tallies[sk, default: ScoreTally(month: key.window)].add(stage: key.stage, before: before, after: after)
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
            // otherwise take it out of a cell that is gone. (Or with the latest window a version
            // of it counted in, when a correction moved it earlier, see ``RollupSlot/keepUntil``.)
            guard entry.keepUntil < horizon else { holds(entry.keepUntil); continue }
            slots[slot] = nil
            if entry.generation != Self.unwritten { gone[slot] = entry.generation }
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
        /// Changed slots, in batches of the state (`g|<n>`), each cut to ``RollupBook/slotBatchBytes``.
        var slotBatches: [(generation: Int64, entries: [(name: String, slot: RollupSlot)])] = []
        /// Slot state records to delete: batches that hold no current slot, `s|` records whose slot moved or went.
        var slotRecordsGone: [String] = []
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
        public var isEmpty: Bool {
            cells.isEmpty && removed.isEmpty && slotBatches.isEmpty && slotRecordsGone.isEmpty && scorecards.isEmpty && stars.isEmpty && removedYears.isEmpty
        }

        /// The changes in order (cells by key, slots by name, scorecards by month and unit),
        /// with the state records encoded.
        public func encoded() -> Changes {
            var out = Changes()
            // Each key's text once: comparing keys builds it, and a busy checkpoint sorts many.
            let keyed = cells.map { (text: $0.key.text, key: $0.key, cell: $0.cell) }
                .sorted { ($0.key.window, $0.text) < ($1.key.window, $1.text) }
            out.cells = keyed.map { ($0.key, $0.cell) }
            out.state.reserveCapacity(cells.count + removed.count + slotBatches.count + slotRecordsGone.count)
            for k in keyed {
                var w = ByteWriter()
                k.key.encode(into: &w); k.cell.encode(into: &w)
                out.state.append(("c|" + k.text, w.bytes))
            }
            for key in removed { out.state.append((RollupBook.cellStateKey(key), nil)) }
            // A batch: how many entries, then each slot's name and its stored form (length first,
            // so a later trailer in one entry does not shift the next).
            for batch in slotBatches {
                var w = ByteWriter()
                w.varint(UInt64(batch.entries.count))
                for (name, slot) in batch.entries.sorted(by: { $0.name < $1.name }) {
                    w.string(name)
                    var e = ByteWriter()
                    slot.encode(into: &e)
                    w.block(e.bytes)
                }
                out.state.append((RollupBook.slotBatchKey(batch.generation), w.bytes))
            }
            // After the batches that hold their slots now.
            for key in slotRecordsGone { out.state.append((key, nil)) }
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
        takeSlots(into: &out)
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

    /// The changed slots into batches: each leaves the batch (or `s|` record) that held its
    /// last written version, batches left with no current slot are deleted.
    private mutating func takeSlots(into out: inout Pending) {
        var batch: [(name: String, slot: RollupSlot)] = []
        var bytes = 0
        var generation: Int64 = 0
        for name in dirtySlots {
            let current = slots[name]
            // Where its last written version is: a dropped slot's in `gone`; a slot dropped and
            // then counted anew has both.
            for was in [gone.removeValue(forKey: name), current?.generation] {
                guard let was, was != Self.unwritten else { continue }
                if was == RollupSlot.ownRecord { ownRecordsGone.append("s|" + name) } else { generations.release(was) }
            }
            guard var slot = current else { continue }
            let size = slot.storedBytesBound(name: name)
            if batch.isEmpty || bytes + size > slotBatchBytes {
                if !batch.isEmpty { out.slotBatches.append((generation, batch)); batch.removeAll() }
                generation = generations.open()
                bytes = 0
            }
            slot.generation = generation
            generations.hold(generation)
            slots[name] = slot
            batch.append((name, slot))
            bytes += size
        }
        if !batch.isEmpty { out.slotBatches.append((generation, batch)) }
        gone.removeAll(keepingCapacity: true)
        out.slotRecordsGone = generations.takeEmptied().map(Self.slotBatchKey) + ownRecordsGone
        ownRecordsGone.removeAll()
    }

    /// A slot version not written to the state yet.
    private static let unwritten = Int64.min

    fileprivate static func cellStateKey(_ key: RollupKey) -> String { "c|" + key.text }
    fileprivate static func slotBatchKey(_ generation: Int64) -> String { "g|\(generation)" }
    fileprivate static func yearStateKey(_ view: RollupView, _ year: String, _ owner: String) -> String {
        "y|\(view.rawValue)|\(year)|\(RollupKey.escaped(owner))"
    }

    /// Puts back one slot read from the state: the version in the newest batch wins, whatever
    /// the order the records are read in; an `s|` record loses to any batch (batches came later).
    private mutating func restore(_ slot: RollupSlot, name: String) {
        if let held = slots[name] {
            guard held.generation < slot.generation else {
                if slot.generation == RollupSlot.ownRecord { ownRecordsGone.append("s|" + name) }
                return
            }
            if held.generation == RollupSlot.ownRecord { ownRecordsGone.append("s|" + name) } else { generations.release(held.generation) }
        }
        slots[name] = slot
        if slot.generation >= 0 { generations.hold(slot.generation) }
        holds(slot.keepUntil)
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
            score(k, before: cells[k].map(ScorePart.init), after: ScorePart(c))
            cells[k] = c
            holds(k.window.end)
        } else if key.hasPrefix("g|") {
            guard let generation = Int64(key.dropFirst(2)), generation >= 0 else { throw StateDecodingError(reason: "slot batch key \"\(key)\" has no number") }
            let n = try r.varint()
            // Each entry takes a dozen bytes at least.
            guard n <= UInt64(value.count / 12) else { throw StateDecodingError(reason: "slot batch \"\(key)\" claims \(n) entries in \(value.count) bytes") }
            var entries: [(String, RollupSlot)] = []
            for _ in 0..<n {
                let name = try r.string()
                entries.append((name, try RollupSlot.decode(try r.block(), name: name, generation: generation)))
            }
            guard r.atEnd else { throw StateDecodingError(reason: "trailing bytes in rollup state \"\(key)\"") }
            // Only a batch read whole counts.
            generations.seen(generation)
            for (name, slot) in entries { restore(slot, name: name) }
        } else if key.hasPrefix("s|") {
            restore(try RollupSlot.decode(value, name: String(key.dropFirst(2)), generation: RollupSlot.ownRecord), name: String(key.dropFirst(2)))
            return
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
