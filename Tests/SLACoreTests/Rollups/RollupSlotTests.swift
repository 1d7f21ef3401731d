import Testing
@testable import SLACore

/// The rollup state's slot batches: what one take writes, what a restore reads back, in any order.
@Suite struct RollupSlotTests {
    static let now = Fixtures.t("2026-12-03T00:00")

    static func book(retention: TimeSpan = .days(40)) -> RollupBook {
        RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: retention)
    }

    /// A verdict of ticket `t`'s one stage cycle (slot `ticket:<t>:s@1`); another result is a correction.
    static func verdict(_ t: String, _ result: Outcome.Result, at: String) -> Outcome {
        Outcome(outcomeId: "ticket:\(t):s@1:sla.\(result.rawValue)", result: result, subject: SubjectID(.ticket, t), kind: .complaint,
                stage: "s", unit: "U", agent: nil, region: nil, customerClass: nil, deadline: nil, at: Fixtures.t(at), elapsed: nil,
                satisfaction: nil, outageId: nil)
    }

    static func restored(_ state: [(key: String, value: [UInt8]?)], retention: TimeSpan = .days(40)) throws -> RollupBook {
        var book = Self.book(retention: retention)
        for (k, v) in state { if let v { try book.restore(key: k, value: v) } }
        return book
    }

    static func month(_ book: RollupBook) -> RollupCell? { book.allCells.first { $0.key.window.grain == .month }?.cell }

    @Test func theSlotsOfOneTakeShareOneRecord() throws {
        var book = Self.book()
        let outcomes = (0..<50).map { Self.verdict("T\($0)", .met, at: "2026-12-01T10:\(String(format: "%02d", $0))") }
        for o in outcomes { #expect(book.apply(o, view: .unit, now: Self.now) == .applied) }
        let state = book.takeChanges().state
        // One unit, kind, stage and hour: its hour, day, month, quarter and year cells, and one batch.
        #expect(state.filter { $0.key.hasPrefix("c|") }.count == 5)
        #expect(state.filter { $0.key.hasPrefix("g|") || $0.key.hasPrefix("s|") }.map(\.key) == ["g|0"])
        var restored = try Self.restored(state)
        #expect(restored.slotCount == 50 && restored.slotBatchCount == 1)
        for o in outcomes { #expect(restored.apply(o, view: .unit, now: Self.now) == .duplicate) }
    }

    @Test func aBatchIsDeletedOnceEverySlotItHeldChangedAgain() {
        var book = Self.book()
        _ = book.apply(Self.verdict("A", .met, at: "2026-12-01T10:00"), view: .unit, now: Self.now)
        _ = book.apply(Self.verdict("B", .met, at: "2026-12-01T10:05"), view: .unit, now: Self.now)
        #expect(book.takeChanges().state.filter { $0.key.hasPrefix("g|") }.map(\.key) == ["g|0"])
        #expect(book.apply(Self.verdict("A", .missed, at: "2026-12-01T10:10"), view: .unit, now: Self.now) == .corrected)
        let second = book.takeChanges().state.filter { $0.key.hasPrefix("g|") }
        #expect(second.map(\.key) == ["g|1"] && second.allSatisfy { $0.value != nil }, "g|0 still holds B")
        #expect(book.apply(Self.verdict("B", .missed, at: "2026-12-01T10:15"), view: .unit, now: Self.now) == .corrected)
        let third = book.takeChanges().state.filter { $0.key.hasPrefix("g|") }
        #expect(third.filter { $0.value != nil }.map(\.key) == ["g|2"])
        #expect(third.filter { $0.value == nil }.map(\.key) == ["g|0"], "it holds neither A's nor B's version now")
        #expect(book.slotBatchCount == 2)
    }

    @Test(arguments: [false, true])
    func aRestoreTakesEachSlotFromTheNewestBatchInEitherOrder(reversed: Bool) throws {
        var book = Self.book()
        _ = book.apply(Self.verdict("A", .met, at: "2026-12-01T10:00"), view: .unit, now: Self.now)
        _ = book.apply(Self.verdict("B", .met, at: "2026-12-01T10:05"), view: .unit, now: Self.now)
        var state = book.takeChanges().state
        _ = book.apply(Self.verdict("A", .missed, at: "2026-12-01T10:10"), view: .unit, now: Self.now)
        // Latest value per key, as a restore reads the compacted changelog: g|0 (A met, B met), g|1 (A missed).
        var latest: [String: [UInt8]?] = [:]
        for s in state + book.takeChanges().state { latest[s.key] = s.value }
        state = latest.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if reversed { state.reverse() }
        var restored = try Self.restored(state)
        #expect(restored.slotCount == 2)
        // A third version of A: the restored A must be `missed` (taken out), not the stale `met`.
        #expect(restored.apply(Self.verdict("A", .voided, at: "2026-12-01T10:20"), view: .unit, now: Self.now) == .corrected)
        let m = try #require(Self.month(restored))
        #expect([m.met, m.missed, m.voided] == [1, 0, 1], "B met, A voided")
        let gone = restored.takeChanges().state.filter { $0.value == nil }.map(\.key)
        #expect(gone == ["g|1"], "A left g|1; g|0 still holds B")
    }

    /// What state written before slot batches holds: one `s|` record per slot (without the last trailer).
    static func ownRecord(_ o: Outcome) -> (key: String, value: [UInt8]) {
        var w = ByteWriter()
        RollupSlot(outcome: o, superseded: [], generation: RollupSlot.ownRecord, keepUntil: o.windowAt).encode(into: &w)
        var trailer = ByteWriter()
        trailer.signed(o.windowAt.milliseconds)
        return ("s|unit|" + o.slot, Array(w.bytes.dropLast(trailer.bytes.count)))
    }

    @Test(arguments: [false, true])
    func slotsOfTheOlderStateAreReadAndMovedIntoBatches(batchFirst: Bool) throws {
        let a = Self.verdict("A", .met, at: "2026-12-01T10:00"), b = Self.verdict("B", .met, at: "2026-12-01T10:05")
        let aMissed = Self.verdict("A", .missed, at: "2026-12-01T10:10")
        // A crash after A's batch was written and before its s| record was deleted: both are read.
        var w = ByteWriter()
        w.varint(1); w.string("unit|" + aMissed.slot)
        var e = ByteWriter()
        RollupSlot(outcome: aMissed, superseded: [a.outcomeId], generation: 5, keepUntil: aMissed.windowAt).encode(into: &e)
        w.block(e.bytes)
        var state: [(key: String, value: [UInt8]?)] = [Self.ownRecord(a), Self.ownRecord(b)].map { ($0.key, $0.value) }
        state.insert(("g|5", w.bytes), at: batchFirst ? 0 : 2)
        var book = try Self.restored(state)
        #expect(book.slotCount == 2 && book.slotBatchCount == 1)
        #expect(book.apply(aMissed, view: .unit, now: Self.now) == .duplicate, "A is the batch's version")
        #expect(book.apply(a, view: .unit, now: Self.now) == .duplicate, "A's first version is superseded")
        #expect(book.apply(b, view: .unit, now: Self.now) == .duplicate)
        // B corrected: it moves to a batch numbered above every batch read; its s| record goes, and A's.
        #expect(book.apply(Self.verdict("B", .missed, at: "2026-12-01T10:15"), view: .unit, now: Self.now) == .corrected)
        let next = book.takeChanges().state.filter { $0.key.hasPrefix("g|") || $0.key.hasPrefix("s|") }
        #expect(next.filter { $0.value != nil }.map(\.key) == ["g|6"])
        #expect(Set(next.filter { $0.value == nil }.map(\.key)) == ["s|unit|ticket:A:s@1", "s|unit|ticket:B:s@1"])
    }

    @Test func aCorrectionEarlierInTimeKeepsItsSlotUntilItsLatestVersionPasses() throws {
        // Retention 2 days: a prune at 11-19 12:00 drops what counts before 11-17 12:00.
        var book = Self.book(retention: .days(2))
        let first = Fixtures.t("2026-11-20T12:00")
        _ = book.apply(Self.verdict("X", .met, at: "2026-11-20T10:00"), view: .unit, now: first)
        _ = book.apply(Self.verdict("Y", .met, at: "2026-11-20T10:00"), view: .unit, now: first)
        var state = book.takeChanges().state
        // A late event moved X's end four days earlier: g|1 holds it, g|0 still holds X's first version.
        #expect(book.apply(Self.verdict("X", .missed, at: "2026-11-16T10:00"), view: .unit, now: first) == .corrected)
        state += book.takeChanges().state
        book.prune(now: Fixtures.t("2026-11-19T12:00"))
        #expect(book.slotCount == 2, "X's first version (11-20 10:00) is not past the horizon, so X stays")
        state += book.takeChanges().state
        var latest: [String: [UInt8]?] = [:]
        for s in state { latest[s.key] = s.value }
        #expect(latest.keys.filter { $0.hasPrefix("g|") }.sorted() == ["g|0", "g|1"] && latest.values.filter { $0 == nil }.count == 2,
                "the 11-16 hour and day cells are deleted, no batch")
        var restored = try Self.restored(latest.map { ($0.key, $0.value) }, retention: .days(2))
        #expect(restored.apply(Self.verdict("X", .met, at: "2026-11-20T10:00"), view: .unit, now: first) == .duplicate)
        // A third version: X's missed verdict leaves cells whose window is gone; none comes back.
        #expect(restored.apply(Self.verdict("X", .voided, at: "2026-11-20T11:00"), view: .unit, now: Fixtures.t("2026-11-19T12:00")) == .corrected)
        #expect(!restored.allCells.contains { [.hour, .day].contains($0.key.window.grain) && $0.key.window.start < Fixtures.t("2026-11-17T00:00") })
        let m = try #require(Self.month(restored))
        #expect([m.met, m.missed, m.voided] == [1, 0, 1], "Y met, X voided")
        #expect(restored.takeChanges().state.filter { $0.key.hasPrefix("g|") && $0.value == nil }.map(\.key) == ["g|1"], "X left g|1 for g|2")
        restored.prune(now: Fixtures.t("2026-11-23T12:00"))
        let end = restored.takeChanges().state.filter { $0.key.hasPrefix("g|") }
        #expect(restored.slotCount == 0 && restored.slotBatchCount == 0)
        #expect(end.allSatisfy { $0.value == nil } && Set(end.map(\.key)) == ["g|0", "g|2"])
    }

    @Test func aTakeOverTheBatchSizeIsCutAndReadBackWhole() throws {
        var book = Self.book()
        book.slotBatchBytes = 2_000
        let outcomes = (0..<40).map { Self.verdict("T\($0)", .met, at: "2026-12-01T10:\(String(format: "%02d", $0))") }
        for o in outcomes { _ = book.apply(o, view: .unit, now: Self.now) }
        let batches = book.takeChanges().state.filter { $0.key.hasPrefix("g|") }
        // About 120 bytes per entry: 40 entries take at least three batches of 2 000 bytes.
        #expect(batches.count >= 3 && batches.allSatisfy { ($0.value?.count ?? .max) <= 2_000 })
        var restored = try Self.restored(batches)
        #expect(restored.slotCount == 40 && restored.slotBatchCount == batches.count)
        for o in outcomes { #expect(restored.apply(o, view: .unit, now: Self.now) == .duplicate) }
    }

    @Test func aDamagedBatchIsRefusedWhole() {
        var book = Self.book()
        _ = book.apply(Self.verdict("A", .met, at: "2026-12-01T10:00"), view: .unit, now: Self.now)
        let batch = book.takeChanges().state.first { $0.key == "g|0" }!.value!
        var r = Self.book()
        #expect(throws: StateDecodingError.self) { try r.restore(key: "g|0", value: Array(batch.dropLast())) }
        #expect(throws: StateDecodingError.self) { try r.restore(key: "g|0", value: batch + [0]) }
        #expect(throws: StateDecodingError.self) { try r.restore(key: "g|x", value: batch) }
        #expect(throws: StateDecodingError.self) { try r.restore(key: "g|0", value: [0xFF, 0xFF, 0x03]) }
        #expect(r.slotCount == 0 && r.slotBatchCount == 0)
    }
}
