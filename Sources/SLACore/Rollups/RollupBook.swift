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
    private var cells = RollupCellTable()
    /// The outcome counted per slot, the ids it superseded, and the state set that stores it
    /// (each in a few hundred bytes: see ``RollupSlot``).
    private var slots = RollupSlotTable()
    /// Which state sets still hold a current entry.
    private var sets = StateSets()
    /// The state set that holds each cell's written version (none: not written to a set yet).
    private var cellSets: [RollupCellTable.ID: Int64] = [:]
    /// The state set that holds each year's written version.
    private var yearSets: [YearKey: Int64] = [:]
    /// Cells and years to write again though unchanged (not published): read from state of the
    /// older layout, or held by a sparse set.
    private var restateCells = Set<RollupCellTable.ID>()
    private var restateYears = Set<YearKey>()
    /// State records to delete at the next take: one take later than they were found, so the set
    /// that replaced them has been delivered before they go (see ``Pending``).
    private var deletesDue: [String] = []
    /// State records of the older layout (`c|`, `g|`, `s|`, `y|`) read at the restore.
    private var olderRecords: [String] = []
    private var tallies: [ScoreKey: ScoreTally] = [:]
    /// Each owner's year: the monthly scores it keeps after their month cells are pruned.
    private var years: [YearKey: StarRating] = [:]
    private var dirtyYears = Set<YearKey>()
    private var dirtyCells = Set<RollupCellTable.ID>()
    /// Slots changed since the last take (by name: the version held is the table's).
    private var dirtySlots = Set<RollupSlot>()
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
        keeps = RollupGrain.allCases.map(self.grains.contains)
    }

    /// The grains whose cells are kept.
    public private(set) var grains = Set(RollupGrain.allCases)
    /// The same, by grain in ``RollupGrain`` order (asked for each cell an outcome counts in).
    private var keeps = RollupGrain.allCases.map { _ in true }

    /// Cells held.
    public var cellCount: Int { cells.count }
    /// Outcomes remembered.
    public var slotCount: Int { slots.count }
    /// State sets (`b|<set>|…` records) that hold a current entry.
    public var stateSetCount: Int { sets.count }

    /// Largest state record, in bytes of its entries: the set a take writes per partition is cut
    /// into chunks of at most this much (the producer's `message.max.bytes` bounds a record).
    public var stateChunkBytes = 256 * 1024

    /// Stale copies the state may hold beyond its current entries before sparse sets are written
    /// again (see ``StateSets``).
    var stateStaleAllowance: Int {
        get { sets.staleAllowance }
        set { sets.staleAllowance = newValue }
    }

    /// A cell's numbers now.
    public func cell(_ key: RollupKey) -> RollupCell? { cells.id(of: key).flatMap { cells[$0] } }

    /// Every cell, in window then key order.
    public var allCells: [(key: RollupKey, cell: RollupCell)] {
        cells.values.map { (cells.key(of: $0.key), $0.value) }.sorted { $0.0 < $1.0 }.map { ($0.0, $0.1) }
    }

    /// Counts an outcome for a view (see ``RollupView``).
    public mutating func apply(_ o: Outcome, view: RollupView, now: Timestamp) -> Disposition {
        var o = o
        let horizon = now.adding(TimeSpan(milliseconds: -retention.milliseconds))
        // A receipt past the retention horizon: its windows are gone (published and dropped),
        // so the volume counts at its own time rather than nowhere.
        if let received = o.receivedAt, received < horizon { o.receivedAt = nil }
        let slot = view.rawValue + "|" + o.slot
        let previous = slots[slot]
        // Read back once (a slot keeps its outcome's bytes).
        let counted = previous?.outcome, superseded = previous?.superseded ?? []
        // A repeat, also of a verdict already corrected (at-least-once delivery repeats a
        // partition's tail in order, so the correction's own repeat follows).
        if let counted, counted.outcomeId == o.outcomeId || superseded.contains(o.outcomeId) { return .duplicate }
        // A ticket's closure or callback: the latest in event time stands, whatever the arrival order.
        if let counted, Self.latestStands(o.result), counted.at > o.at { return .duplicate }
        if previous == nil, o.at < horizon { return .tooLate }
        if let counted { count(counted, view: view, sign: -1) }
        count(o, view: view, sign: 1)
        let keep = max(previous?.keepUntil ?? o.windowAt, o.windowAt)
        let version = RollupSlot(name: slot, outcome: o, superseded: counted.map { superseded + [$0.outcomeId] } ?? [],
                                 generation: previous?.generation ?? RollupSlot.unwritten, keepUntil: keep)
        slots.put(version)
        holds(keep)
        // The new version replaces the old in the dirty set too, so the old bytes go now.
        dirtySlots.update(with: version)
        if view == .unit, let cycle = o.cycleKey { dirtyCycles.insert(cycle) }
        return previous == nil ? .applied : .corrected
    }

    /// Results of which a ticket has one slot, where the latest in event time stands.
    private static func latestStands(_ r: Outcome.Result) -> Bool {
        switch r {
        case .closed, .callback, .received, .handled, .answered: true
        default: false
        }
    }

    /// Counts an outcome in (or out of) its cells: for each group it counts in
    /// (``RollupCellTable/Group/of(_:view:)``), the cell of each kept grain's window.
    private mutating func count(_ o: Outcome, view: RollupView, sign: Int64) {
        let windows = windows(of: o.windowAt)
        for group in RollupCellTable.Group.of(o, view: view) { count(o, in: group, windows: windows, sign: sign) }
    }

    private mutating func count(_ o: Outcome, in group: RollupCellTable.Group, windows: [RollupWindow], sign: Int64) {
        var number = cells.group(group)
        // Taking an outcome out of a cell that is gone (its window was pruned: a slot kept longer
        // for an older version) leaves the gone cell's last numbers as they stood.
        if number == nil, sign < 0 { return }
        for (g, w) in windows.enumerated() where keeps[g] {
            let scored = w.grain == .month && group.scores
            // In place: a copy of the cell out of the table would copy its histogram.
            func change(_ cell: inout RollupCell) -> (before: ScorePart?, after: ScorePart?) {
                let before = scored ? ScorePart(cell) : nil
                cell.count(o, sign: sign)
                return (before, scored ? ScorePart(cell) : nil)
            }
            var id = RollupCellTable.ID(group: number ?? -1, grain: w.grain, start: w.start.milliseconds)
            var parts = number == nil ? nil : cells.update(id, change)
            if parts == nil {
                if sign < 0 { continue }
                id = cells.insert(group: group, number: number, window: w)
                number = id.group
                holds(w.end)
                parts = cells.update(id, change)
            }
            dirtyCells.insert(id)
            if scored, let parts { score(group, month: w, before: parts.before, after: parts.after) }
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

    /// Keeps the month scorecards in step with the month cells (a unit's cells, an agent's cells
    /// of one stage: see ``RollupCellTable/Group/scores``).
    private mutating func score(_ group: RollupCellTable.Group, month: RollupWindow, before: ScorePart?, after: ScorePart?) {
        guard month.grain == .month, group.scores else { return }
        let sk = ScoreKey(view: group.view, month: month.label, owner: group.owner)
        // In place: a copy of the tally would copy its table of stages.
        tallies[sk, default: ScoreTally(month: month)].add(stage: group.stage, before: before, after: after)
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
        for entry in slots {
            // A slot goes with the earliest window it counts in: a correction later would
            // otherwise take it out of a cell that is gone. (Or with the latest window a version
            // of it counted in, when a correction moved it earlier, see ``RollupSlot/keepUntil``.)
            guard entry.keepUntil < horizon else { holds(entry.keepUntil); continue }
            // Its set keeps the stale copy until the set empties; a restore drops it again.
            slots.remove(entry)
            if entry.generation >= 0 { sets.release(entry.generation) }
            dirtySlots.remove(entry)
        }
        for id in cells.values.keys {
            let window = cells.window(of: id)
            guard window.end < horizon else { holds(window.end); continue }
            if window.grain == .month {
                let g = cells.group(at: id.group)
                tallies[ScoreKey(view: g.view, month: window.label, owner: g.owner)] = nil
            }
            cells.remove(id)
            if let n = cellSets.removeValue(forKey: id) { sets.release(n) }
            dirtyCells.remove(id)
            restateCells.remove(id)
        }
        cells.dropWindows(endingBefore: horizon)
        for (yk, rating) in years {
            guard rating.year.end < horizon else { holds(rating.year.end); continue }
            years[yk] = nil
            if let n = yearSets.removeValue(forKey: yk) { sets.release(n) }
            dirtyYears.remove(yk)
            restateYears.remove(yk)
        }
    }

    /// Hands over what changed, as values to encode later (see ``Pending``).
    public mutating func takePending() -> Pending {
        var out = Pending()
        out.cells.reserveCapacity(dirtyCells.count)
        for id in dirtyCells { if let c = cells[id] { out.cells.append((cells.key(of: id), c)) } }
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
        for cycle in dirtyCycles {
            let v = slots["unit|" + cycle].map { ($0.outcome, $0.superseded.count) }
            let o = slots["unit|" + cycle + ":sla.overdue"].map { ($0.outcome, $0.superseded.count) }
            if let row = VerdictRow(cycleKey: cycle, verdict: v, overdue: o, calendar: calendar) { out.verdicts.append(row) }
        }
        takeState(into: &out)
        dirtyCycles.removeAll(keepingCapacity: true)
        dirtyCells.removeAll(keepingCapacity: true)
        dirtySlots.removeAll(keepingCapacity: true)
        dirtyScores.removeAll(keepingCapacity: true)
        dirtyYears.removeAll(keepingCapacity: true)
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

    /// The changed entries (and those to write again) into one new state set, cut into chunks;
    /// each leaves the set that held its last written version. Deletes found at the last take
    /// go out now; the sets this take empties (and state of the older layout) at the next one.
    private mutating func takeState(into out: inout Pending) {
        if sets.wantsRewrite { rewriteSparseSets() }
        out.deletes = deletesDue
        deletesDue = []
        var entries: [(entry: StateEntry, bytes: Int, cell: RollupCellTable.ID?)] = []
        for changed in dirtySlots { if let slot = slots[changed] { entries.append((.slot(slot), slot.storedBytesBound, nil)) } }
        for id in dirtyCells { if let c = cells[id] { entries.append(cellEntry(id, c)) } }
        for id in restateCells where !dirtyCells.contains(id) { if let c = cells[id] { entries.append(cellEntry(id, c)) } }
        for yk in dirtyYears.union(restateYears) { if let r = years[yk] { entries.append((.year(r), r.storedBytesBound, nil)) } }
        restateCells.removeAll(keepingCapacity: true)
        restateYears.removeAll(keepingCapacity: true)
        if !entries.isEmpty {
            let n = sets.open()
            var chunks: [[StateEntry]] = [[]]
            var bytes = 0
            for (entry, size, cell) in entries {
                if !chunks[chunks.count - 1].isEmpty, bytes + size > stateChunkBytes { chunks.append([]); bytes = 0 }
                chunks[chunks.count - 1].append(entry)
                bytes += size
                switch entry {
                case .slot(let slot):
                    if slot.generation >= 0 { sets.release(slot.generation) }
                    slots.setGeneration(n, of: slot)
                case .cell:
                    if let cell, let was = cellSets.updateValue(n, forKey: cell) { sets.release(was) }
                case .year(let r):
                    if let was = yearSets.updateValue(n, forKey: YearKey(view: r.view, year: r.year.label, owner: r.owner)) { sets.release(was) }
                }
                sets.add(n)
            }
            sets.close(n, chunks: chunks.count)
            out.stateSet = (n, chunks)
        }
        deletesDue = sets.takeEmptied().flatMap { e in (0..<e.chunks).map { Self.stateSetKey(e.set, chunk: $0, of: e.chunks) } } + olderRecords
        olderRecords = []
    }

    /// A cell as a state set's entry, with a bound of its stored size.
    private func cellEntry(_ id: RollupCellTable.ID, _ c: RollupCell) -> (entry: StateEntry, bytes: Int, cell: RollupCellTable.ID?) {
        let key = cells.key(of: id)
        return (.cell(key, c), key.storedBytesBound + c.storedBytesBound, id)
    }

    /// Marks the current entries of sets that are more than half stale to be written again, so
    /// those sets empty and go (see ``StateSets``). One pass over the state, once the stale copies
    /// outnumber the current entries.
    private mutating func rewriteSparseSets() {
        for slot in slots where slot.generation >= 0 && sets.isSparse(slot.generation) { dirtySlots.insert(slot) }
        for (key, n) in cellSets where sets.isSparse(n) { restateCells.insert(key) }
        for (yk, n) in yearSets where sets.isSparse(n) { restateYears.insert(yk) }
    }

    /// The scorecards of one month now, of one view (a restored book publishes none until
    /// something changes; the daemon's gauges read them here).
    public func scorecards(month label: String, view: RollupView) -> [Scorecard] {
        tallies.filter { $0.key.month == label && $0.key.view == view }.map { scorecard($0.key, $0.value) }
    }

    /// A year's star rating now.
    public func stars(view: RollupView, year: String, owner: String) -> StarRating? { years[YearKey(view: view, year: year, owner: owner)] }

    /// Restores the state records written by ``takeChanges()``: the latest value per key, as read
    /// from the changelog, in any order (deleted keys left out). A state set is used only when all
    /// its chunks are there (see ``Pending``); one cut short is deleted at the first take, and the
    /// sets before it stand. State of the older layout (`c|`, `g|`, `s|`, `y|`) is read too and
    /// written into the first set. Scorecards are rebuilt from the month cells. Returns the records
    /// that could not be read, with the reason (a set with one of them is not used).
    public mutating func restore(_ records: [(key: String, value: [UInt8])]) -> [(key: String, reason: String)] {
        var unreadable: [(key: String, reason: String)] = []
        var chunks: [Int64: [(chunk: Int, chunks: Int, key: String, value: [UInt8])]] = [:]
        for (key, value) in records {
            guard key.hasPrefix("b|") else {
                do throws(StateDecodingError) {
                    try restoreOlder(key: key, value: value)
                    olderRecords.append(key)
                } catch {
                    unreadable.append((key, error.description))
                }
                continue
            }
            guard let c = Self.stateSetChunk(key) else {
                unreadable.append((key, "a state set's key is b|<set>|<chunk>|<chunks>, chunk below chunks"))
                continue
            }
            chunks[c.set, default: []].append((c.chunk, c.chunks, key, value))
        }
        // Oldest first: a newer set's version of an entry replaces an older one's.
        for n in chunks.keys.sorted() {
            let parts = chunks[n]!.sorted { $0.chunk < $1.chunk }
            sets.passed(n)
            let count = parts[0].chunks
            guard parts.count == count, parts.enumerated().allSatisfy({ $0.offset == $0.element.chunk && $0.element.chunks == count }) else {
                // Cut short: the checkpoint that wrote it did not finish. Its outcomes were not
                // committed, so they are read again and counted against the sets before it.
                cutShortSets += 1
                deletesDue += parts.map(\.key)
                continue
            }
            var entries: [StateEntry] = []
            do throws(StateDecodingError) {
                for part in parts { entries += try Self.decodeChunk(part.value, key: part.key, calendarBands: rule.stars) }
            } catch {
                unreadable.append((parts.map(\.key).joined(separator: ", "), error.description))
                continue
            }
            sets.seen(n, chunks: count, entries: entries.count)
            for entry in entries { restore(entry, from: n) }
        }
        // What is current of the older layout goes into the first set (its records one take later).
        for slot in slots where slot.generation < 0 { dirtySlots.insert(slot) }
        for id in cells.values.keys where cellSets[id] == nil { restateCells.insert(id) }
        for yk in years.keys where yearSets[yk] == nil { restateYears.insert(yk) }
        dirtyScores.removeAll()
        return unreadable
    }

    /// State sets found cut short at the restore (their records are deleted at the first take).
    public private(set) var cutShortSets = 0

    /// Puts back one entry of state set `n` (sets come oldest first).
    private mutating func restore(_ entry: StateEntry, from n: Int64) {
        switch entry {
        case .slot(var slot):
            if let held = slots[slot], held.generation >= 0 { sets.release(held.generation) }
            slot.generation = n
            slots.put(slot)
            holds(slot.keepUntil)
        case .cell(let key, let cell):
            let before = cells.id(of: key).flatMap { cells[$0] }.map(ScorePart.init)
            score(RollupCellTable.Group(key), month: key.window, before: before, after: ScorePart(cell))
            let id = cells.put(key, cell)
            if let was = cellSets.updateValue(n, forKey: id) { sets.release(was) }
            holds(key.window.end)
        case .year(let rating):
            let yk = YearKey(view: rating.view, year: rating.year.label, owner: rating.owner)
            if let was = yearSets[yk] { sets.release(was) }
            years[yk] = rating
            yearSets[yk] = n
            holds(rating.year.end)
        }
        sets.holdRestored(n)
    }

    /// Restores one record of the older layout: a cell (`c|`), a slot batch (`g|<n>`, the newest
    /// batch's version wins), a slot of its own (`s|`, loses to any batch), a year (`y|`).
    private mutating func restoreOlder(key: String, value: [UInt8]) throws(StateDecodingError) {
        var r = ByteReader(value)
        if key.hasPrefix("c|") {
            let k = try RollupKey.decode(&r)
            let c = try RollupCell.decode(&r)
            guard r.atEnd else { throw StateDecodingError(reason: "trailing bytes in rollup state \"\(key)\"") }
            score(RollupCellTable.Group(k), month: k.window, before: cells.id(of: k).flatMap { cells[$0] }.map(ScorePart.init), after: ScorePart(c))
            _ = cells.put(k, c)
            holds(k.window.end)
        } else if key.hasPrefix("g|") {
            guard let batch = Int64(key.dropFirst(2)), batch >= 0, batch < RollupSlot.olderLayoutSpan else {
                throw StateDecodingError(reason: "slot batch key \"\(key)\" has no number")
            }
            let n = try r.varint()
            // Each entry takes a dozen bytes at least.
            guard n <= UInt64(value.count / 12) else { throw StateDecodingError(reason: "slot batch \"\(key)\" claims \(n) entries in \(value.count) bytes") }
            var entries: [(String, RollupSlot)] = []
            for _ in 0..<n {
                let name = try r.string()
                entries.append((name, try RollupSlot.decode(try r.block(), name: name, generation: RollupSlot.olderBatch + batch)))
            }
            guard r.atEnd else { throw StateDecodingError(reason: "trailing bytes in rollup state \"\(key)\"") }
            for (name, slot) in entries { restoreOlder(slot, name: name) }
        } else if key.hasPrefix("s|") {
            let name = String(key.dropFirst(2))
            restoreOlder(try RollupSlot.decode(value, name: name, generation: RollupSlot.ownRecord), name: name)
        } else if key.hasPrefix("y|") {
            let rating = try StarRating.decode(&r, bands: rule.stars)
            guard r.atEnd else { throw StateDecodingError(reason: "trailing bytes in rollup state \"\(key)\"") }
            years[YearKey(view: rating.view, year: rating.year.label, owner: rating.owner)] = rating
            holds(rating.year.end)
        } else {
            throw StateDecodingError(reason: "unknown rollup state key \"\(key)\"")
        }
    }

    /// A slot of the older layout: the version in the newest batch wins, whatever the order the
    /// records are read in; an `s|` record loses to any batch (batches came later).
    private mutating func restoreOlder(_ slot: RollupSlot, name: String) {
        if let held = slots[name], held.generation >= slot.generation { return }
        slots.put(slot)
        holds(slot.keepUntil)
    }
}
