import Testing
@testable import SLACore

/// The rollup state: what one take writes (one state set), what a restore reads back — in any
/// order, after a checkpoint cut short, from the older layout — and how stale copies go.
@Suite struct RollupStateTests {
    static let now = Fixtures.t("2026-12-06T00:00")

    static func book(retention: TimeSpan = .days(40)) -> RollupBook {
        RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: retention)
    }

    /// A verdict of ticket `t`'s one stage cycle (slot `ticket:<t>:s@1`); another result is a correction.
    static func verdict(_ t: String, _ result: Outcome.Result, at: String) -> Outcome {
        Outcome(outcomeId: "ticket:\(t):s@1:sla.\(result.rawValue)", result: result, subject: SubjectID(.ticket, t), kind: .complaint,
                stage: "s", unit: "U", agent: nil, region: nil, customerClass: nil, deadline: nil, at: Fixtures.t(at), elapsed: nil,
                satisfaction: nil, outageId: nil)
    }

    static func minute(_ m: Int) -> String { String(format: "%02d", m) }

    /// The latest value per key of a sequence of takes, as a restore reads the compacted changelog.
    static func latest(_ takes: [[(key: String, value: [UInt8]?)]]) -> [(key: String, value: [UInt8])] {
        var out: [String: [UInt8]?] = [:]
        for take in takes { for r in take { out[r.key] = r.value } }
        return out.compactMap { k, v in v.map { (k, $0) } }.sorted { $0.key < $1.key }
    }

    static func restored(_ records: [(key: String, value: [UInt8])], retention: TimeSpan = .days(40)) -> RollupBook {
        var book = Self.book(retention: retention)
        let unreadable = book.restore(records)
        #expect(unreadable.isEmpty, "\(unreadable)")
        return book
    }

    static func cell(_ book: RollupBook, _ grain: RollupGrain, _ label: String) -> RollupCell? {
        book.allCells.first { $0.key.window.grain == grain && $0.key.window.label == label }?.cell
    }

    @Test func theEntriesOfOneTakeShareOneRecord() {
        var book = Self.book()
        let outcomes = (0..<50).map { Self.verdict("T\($0)", .met, at: "2026-12-01T10:\(Self.minute($0))") }
        for o in outcomes { #expect(book.apply(o, view: .unit, now: Self.now) == .applied) }
        let state = book.takeChanges().state
        // 50 slots and one unit, kind, stage and hour's hour, day, month, quarter and year cells: one record.
        #expect(state.map(\.key) == ["b|0|0|1"] && state.allSatisfy { $0.value != nil })
        var restored = Self.restored(Self.latest([state]))
        #expect(restored.slotCount == 50 && restored.cellCount == 5 && restored.stateSetCount == 1)
        #expect(Self.cell(restored, .month, "2026-12")?.met == 50)
        for o in outcomes { #expect(restored.apply(o, view: .unit, now: Self.now) == .duplicate) }
    }

    @Test func aSetIsDeletedOneTakeAfterItsLastCurrentEntryMovedOn() {
        var book = Self.book()
        _ = book.apply(Self.verdict("A", .met, at: "2026-12-01T10:00"), view: .unit, now: Self.now)
        _ = book.apply(Self.verdict("B", .met, at: "2026-12-01T10:05"), view: .unit, now: Self.now)
        #expect(book.takeChanges().state.map(\.key) == ["b|0|0|1"])
        // A corrected: A and the five cells move to set 1; set 0 still holds B.
        #expect(book.apply(Self.verdict("A", .missed, at: "2026-12-01T10:10"), view: .unit, now: Self.now) == .corrected)
        #expect(book.takeChanges().state.map(\.key) == ["b|1|0|1"])
        // B corrected: set 0 holds nothing current now, but its record stays until set 2 is delivered.
        #expect(book.apply(Self.verdict("B", .missed, at: "2026-12-01T10:15"), view: .unit, now: Self.now) == .corrected)
        let third = book.takeChanges().state
        #expect(third.map(\.key) == ["b|2|0|1"] && third.allSatisfy { $0.value != nil })
        let fourth = book.takeChanges().state
        #expect(fourth.map(\.key) == ["b|0|0|1"] && fourth.allSatisfy { $0.value == nil })
        #expect(book.stateSetCount == 2)
    }

    @Test(arguments: [false, true])
    func aRestoreTakesEachEntryFromTheNewestSetInEitherOrder(reversed: Bool) {
        var book = Self.book()
        _ = book.apply(Self.verdict("A", .met, at: "2026-12-01T10:00"), view: .unit, now: Self.now)
        _ = book.apply(Self.verdict("B", .met, at: "2026-12-01T10:05"), view: .unit, now: Self.now)
        let first = book.takeChanges().state
        _ = book.apply(Self.verdict("A", .missed, at: "2026-12-01T10:10"), view: .unit, now: Self.now)
        // Set 0: A met, B met, cells of 2 met; set 1: A missed, cells of 1 met and 1 missed.
        var records = Self.latest([first, book.takeChanges().state])
        if reversed { records.reverse() }
        var restored = Self.restored(records)
        #expect(restored.slotCount == 2 && restored.cellCount == 5)
        #expect(Self.cell(restored, .day, "2026-12-01").map { [$0.met, $0.missed] } == [1, 1], "set 1's cells, not set 0's")
        // A third version of A: the restored A must be `missed` (taken out), not the stale `met`.
        #expect(restored.apply(Self.verdict("A", .voided, at: "2026-12-01T10:20"), view: .unit, now: Self.now) == .corrected)
        let m = Self.cell(restored, .month, "2026-12")
        #expect(m.map { [$0.met, $0.missed, $0.voided] } == [1, 0, 1], "B met, A voided")
    }

    /// 30 verdicts checkpointed; then 30 more (every third missed) and a correction of T0, whose
    /// checkpoint is cut into chunks of which only some reach the broker. The outcomes after the
    /// last commit are read again. Whatever part of the second checkpoint was written, every
    /// verdict counts once — by hand: 10:00–11:00 T0 (missed) and T1…T29 met; 11:00–12:00 T30…T59,
    /// of which T30, T33 … T57 (10) missed.
    @Test func aCheckpointCutShortLeavesTheSetsBeforeItAndTheReadAgainCountsEveryOutcomeOnce() {
        var book = Self.book()
        book.stateChunkBytes = 1_500
        let first = (0..<30).map { Self.verdict("T\($0)", .met, at: "2026-12-01T10:\(Self.minute($0))") }
        let second = (30..<60).map { Self.verdict("T\($0)", $0 % 3 == 0 ? .missed : .met, at: "2026-12-01T11:\(Self.minute($0 - 30))") }
            + [Self.verdict("T0", .missed, at: "2026-12-01T10:00")]
        for o in first { _ = book.apply(o, view: .unit, now: Self.now) }
        let committed = book.takeChanges().state
        for o in second { _ = book.apply(o, view: .unit, now: Self.now) }
        let cut = book.takeChanges().state
        let chunks = cut.filter { $0.value != nil }
        #expect(chunks.count >= 3 && chunks.allSatisfy { $0.key.hasPrefix("b|1|") })
        // Each chunk alone missing, each chunk alone written, all written (the commit did not follow).
        let kept: [[Int]] = chunks.indices.map { i in chunks.indices.filter { $0 != i } } + chunks.indices.map { [$0] } + [Array(chunks.indices)]
        for indices in kept {
            var restored = Self.restored(Self.latest([committed, indices.map { (chunks[$0].key, chunks[$0].value) }]))
            let whole = indices.count == chunks.count
            #expect(restored.cutShortSets == (whole ? 0 : 1))
            #expect(restored.slotCount == (whole ? 60 : 30), "a set cut short is not used")
            for o in second { _ = restored.apply(o, view: .unit, now: Self.now) }
            let ten = Self.cell(restored, .hour, "2026-12-01T10"), eleven = Self.cell(restored, .hour, "2026-12-01T11")
            let month = Self.cell(restored, .month, "2026-12")
            #expect(ten.map { [$0.outcomes, $0.met, $0.missed] } == [30, 29, 1], "kept \(indices) of \(chunks.count)")
            #expect(eleven.map { [$0.outcomes, $0.met, $0.missed] } == [30, 20, 10], "kept \(indices) of \(chunks.count)")
            #expect(month.map { [$0.outcomes, $0.met, $0.missed] } == [60, 49, 11], "kept \(indices) of \(chunks.count)")
            // The first take deletes what reached the broker of the set cut short, and numbers on above it.
            let next = restored.takeChanges().state
            #expect(Set(next.filter { $0.value == nil }.map(\.key)) == (whole ? [] : Set(indices.map { chunks[$0].key })))
            #expect(next.filter { $0.value != nil }.allSatisfy { $0.key.hasPrefix("b|2|") })
        }
    }

    /// 200 checkpoints of one verdict each, in one hour: each set keeps its slot current while its
    /// five cells go stale at the next verdict, so each set is five-sixths stale — without a
    /// rewrite the topic would hold all 200 sets (1 200 entries) for the 205 current ones.
    @Test func staleCopiesAreRewrittenAwaySoTheStateStaysNearWhatIsCurrent() {
        var book = Self.book()
        book.stateStaleAllowance = 0
        var takes: [[(key: String, value: [UInt8]?)]] = []
        for i in 0..<200 {
            _ = book.apply(Self.verdict("T\(i)", .met, at: "2026-12-01T10:\(Self.minute(i % 60))"), view: .unit, now: Self.now)
            takes.append(book.takeChanges().state)
        }
        takes.append(book.takeChanges().state)  // the deletes the last take found
        let records = Self.latest(takes)
        // Entries held on the topic: each record's first varint.
        let held = records.reduce(0) { n, r in var reader = ByteReader(r.value); return n + Int((try? reader.varint()) ?? 0) }
        let current = 200 + 5
        #expect(held <= 3 * current, "\(held) entries held for \(current) current")
        #expect(book.stateSetCount < 100)
        var restored = Self.restored(records)
        #expect(restored.allCells.map(\.cell) == book.allCells.map(\.cell) && restored.slotCount == 200)
        #expect(Self.cell(restored, .day, "2026-12-01")?.met == 200)
        for i in 0..<200 {
            #expect(restored.apply(Self.verdict("T\(i)", .met, at: "2026-12-01T10:\(Self.minute(i % 60))"), view: .unit, now: Self.now) == .duplicate)
        }
    }

    /// The older layout: cells `c|<key>`, slot batches `g|<n>`, a slot of its own `s|` (without
    /// the last trailer).
    static func olderLayout(_ book: RollupBook, batch: [Outcome]) -> [(key: String, value: [UInt8])] {
        var records: [(key: String, value: [UInt8])] = book.allCells.map { c in
            var w = ByteWriter()
            c.key.encode(into: &w); c.cell.encode(into: &w)
            return ("c|" + c.key.text, w.bytes)
        }
        var w = ByteWriter()
        w.varint(UInt64(batch.count))
        for o in batch {
            w.string("unit|" + o.slot)
            var e = ByteWriter()
            RollupSlot(name: "unit|" + o.slot, outcome: o, superseded: [], generation: 0, keepUntil: o.windowAt).encode(into: &e)
            w.block(e.bytes)
        }
        records.append(("g|5", w.bytes))
        return records
    }

    static func ownRecord(_ o: Outcome) -> (key: String, value: [UInt8]) {
        var w = ByteWriter()
        RollupSlot(name: "unit|" + o.slot, outcome: o, superseded: [], generation: RollupSlot.ownRecord, keepUntil: o.windowAt).encode(into: &w)
        var trailer = ByteWriter()
        trailer.signed(o.windowAt.milliseconds)
        return ("s|unit|" + o.slot, Array(w.bytes.dropLast(trailer.bytes.count)))
    }

    @Test(arguments: [false, true])
    func stateOfTheOlderLayoutIsReadWrittenIntoTheFirstSetAndDeletedAtTheNext(reversed: Bool) {
        let a = Self.verdict("A", .met, at: "2026-12-01T10:00"), b = Self.verdict("B", .met, at: "2026-12-01T10:05")
        var source = Self.book()
        _ = source.apply(a, view: .unit, now: Self.now)
        _ = source.apply(b, view: .unit, now: Self.now)
        var older = Self.olderLayout(source, batch: [a]) + [Self.ownRecord(b)]
        if reversed { older.reverse() }
        var book = Self.restored(older)
        #expect(book.slotCount == 2 && book.cellCount == 5)
        #expect(book.apply(a, view: .unit, now: Self.now) == .duplicate && book.apply(b, view: .unit, now: Self.now) == .duplicate)
        // Unchanged, so nothing is published; but all of it is written into set 0.
        let first = book.takeChanges()
        #expect(first.cells.isEmpty && first.scorecards.isEmpty)
        #expect(first.state.map(\.key) == ["b|0|0|1"])
        let second = book.takeChanges().state
        #expect(Set(second.map(\.key)) == Set(older.map(\.key)) && second.allSatisfy { $0.value == nil })
        // Read before the older records' deletes arrive: the set wins, nothing counts twice.
        var both = Self.restored(older + Self.latest([first.state]))
        #expect(Self.cell(both, .month, "2026-12")?.met == 2 && both.slotCount == 2)
        #expect(both.apply(a, view: .unit, now: Self.now) == .duplicate)
    }

    @Test func aCorrectionEarlierInTimeKeepsItsSlotUntilItsLatestVersionPasses() {
        // Retention 2 days: a prune at 11-19 12:00 drops what counts before 11-17 12:00.
        var book = Self.book(retention: .days(2))
        let first = Fixtures.t("2026-11-20T12:00"), later = Fixtures.t("2026-11-19T12:00")
        _ = book.apply(Self.verdict("X", .met, at: "2026-11-20T10:00"), view: .unit, now: first)
        _ = book.apply(Self.verdict("Y", .met, at: "2026-11-20T10:00"), view: .unit, now: first)
        var takes = [book.takeChanges().state]
        // A late event moved X's end four days earlier: set 1 holds it, set 0 X's first version.
        #expect(book.apply(Self.verdict("X", .missed, at: "2026-11-16T10:00"), view: .unit, now: first) == .corrected)
        takes.append(book.takeChanges().state)
        book.prune(now: later)
        #expect(book.slotCount == 2, "X's first version (11-20 10:00) is not past the horizon, so X stays")
        takes.append(book.takeChanges().state)
        // As a partition is adopted: restored, then pruned at once.
        var restored = Self.restored(Self.latest(takes), retention: .days(2))
        restored.prune(now: later)
        #expect(restored.apply(Self.verdict("X", .met, at: "2026-11-20T10:00"), view: .unit, now: first) == .duplicate)
        // A third version: X's missed verdict leaves cells whose window is gone; none comes back.
        #expect(restored.apply(Self.verdict("X", .voided, at: "2026-11-20T11:00"), view: .unit, now: later) == .corrected)
        #expect(!restored.allCells.contains { [.hour, .day].contains($0.key.window.grain) && $0.key.window.start < Fixtures.t("2026-11-17T00:00") })
        let m = Self.cell(restored, .month, "2026-11")
        #expect(m.map { [$0.met, $0.missed, $0.voided] } == [1, 0, 1], "Y met, X voided")
        takes.append(restored.takeChanges().state)
        restored.prune(now: Fixtures.t("2026-11-23T12:00"))
        takes.append(restored.takeChanges().state)
        takes.append(restored.takeChanges().state)
        #expect(restored.slotCount == 0)
        // What is left on the topic brings no slot back, and the month as it stood.
        var again = Self.restored(Self.latest(takes), retention: .days(2))
        again.prune(now: Fixtures.t("2026-11-23T12:00"))
        #expect(again.slotCount == 0 && Self.cell(again, .month, "2026-11").map { [$0.met, $0.missed, $0.voided] } == [1, 0, 1])
    }

    @Test func aTakeOverTheRecordSizeIsCutAndReadBackWhole() {
        var book = Self.book()
        book.stateChunkBytes = 2_000
        let outcomes = (0..<40).map { Self.verdict("T\($0)", .met, at: "2026-12-01T10:\(Self.minute($0))") }
        for o in outcomes { _ = book.apply(o, view: .unit, now: Self.now) }
        let chunks = book.takeChanges().state
        // About 130 bytes per slot: 40 slots and 5 cells take at least three records of 2 000 bytes.
        #expect(chunks.count >= 3 && chunks.allSatisfy { ($0.value?.count ?? .max) <= 2_000 })
        #expect(chunks.map(\.key) == (0..<chunks.count).map { "b|0|\($0)|\(chunks.count)" })
        var restored = Self.restored(Self.latest([chunks]))
        #expect(restored.slotCount == 40 && restored.cellCount == 5 && restored.stateSetCount == 1)
        for o in outcomes { #expect(restored.apply(o, view: .unit, now: Self.now) == .duplicate) }
    }

    @Test func aDamagedSetIsNamedAndNotUsed() {
        var book = Self.book()
        _ = book.apply(Self.verdict("A", .met, at: "2026-12-01T10:00"), view: .unit, now: Self.now)
        let record = book.takeChanges().state.first { $0.key == "b|0|0|1" }!.value!
        for (key, value) in [("b|0|0|1", Array(record.dropLast())), ("b|0|0|1", record + [0]), ("b|x|0|1", record),
                             ("b|0|1|1", record), ("b|0|0|1", [0xFF, 0xFF, 0x03]), ("b|0|0|1", [1, 9])] {
            var r = Self.book()
            #expect(r.restore([(key, value)]).map(\.key) == [key], "\(key) \(value.count) bytes")
            #expect(r.slotCount == 0 && r.cellCount == 0 && r.stateSetCount == 0)
        }
    }
}
