import Testing
@testable import SLACore

/// A slot keeps its name and outcome as stored bytes: read back, it is the outcome counted, and
/// the state gets the layout it always had.
@Suite struct RollupSlotTests {
    /// Every field set, each to a value whose encoding is worked out by hand below.
    static let full: Outcome = {
        var o = Outcome(outcomeId: "ticket:F1:repair.arrival@1:sla.missed", result: .missed, subject: SubjectID(.ticket, "F1"), kind: .faultRepair,
                        stage: "repair.arrival", unit: "U7", agent: "A3", region: .rural, customerClass: .residential,
                        deadline: Timestamp(milliseconds: 5_000), at: Timestamp(milliseconds: 6_000), elapsed: TimeSpan(milliseconds: 2_500),
                        satisfaction: 4, outageId: "O9")
        o.chargedTo = "95598"; o.startedAt = Timestamp(milliseconds: 3_500); o.cycle = 2; o.firstTime = true
        o.receivedAt = Timestamp(milliseconds: 1_000)
        return o
    }()

    /// Only the fields every outcome has; its id shares only `ticket:Q1:volume:` with its slot.
    static let bare = Outcome(outcomeId: "ticket:Q1:volume:e1", result: .received, subject: SubjectID(.ticket, "Q1"), kind: .consultation,
                              stage: "volume", unit: nil, agent: nil, region: nil, customerClass: nil, deadline: nil,
                              at: Timestamp(milliseconds: 64), elapsed: nil, satisfaction: nil, outageId: nil)

    /// Names: the verdict's cycle (a prefix of its id), the volume's slot (not one), a name that
    /// shares nothing with the id, and one without a view.
    @Test(arguments: [(full, "unit|ticket:F1:repair.arrival@1"), (bare, "agent|ticket:Q1:volume:received"),
                      (full, "unit|zzz"), (bare, "ticket:Q1:volume:e1:longer than the id")])
    func theOutcomeReadsBackAsItWasCounted(_ o: Outcome, _ name: String) {
        let slot = RollupSlot(name: name, outcome: o, superseded: ["x"], generation: 7, keepUntil: Timestamp(milliseconds: 9))
        #expect(slot.outcome == o)
        #expect(slot.name == name)
        #expect(slot.superseded == ["x"] && slot.generation == 7 && slot.keepUntil == Timestamp(milliseconds: 9))
    }

    /// The stored form, byte by byte: the outcome's fields, the superseded ids, then the
    /// trailers of contract v1.3 and v1.5, then how long it is kept (strings length first,
    /// numbers zigzag varints: 5 000 ms → 10 000 → 0x90 0x4E).
    @Test func theStateHoldsTheLayoutOfTheOlderStates() {
        var w = ByteWriter()
        RollupSlot(name: "unit|ticket:F1:repair.arrival@1", outcome: Self.full, superseded: ["old-1", "old-2"], generation: 0,
                   keepUntil: Timestamp(milliseconds: 6_000)).encode(into: &w)
        func s(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }
        var expected = s("ticket:F1:repair.arrival@1:sla.missed") + s("missed") + s("ticket") + s("F1") + s("fault_repair")
        expected += s("repair.arrival") + s("U7") + s("A3") + s("rural") + s("residential")
        expected += [0x90, 0x4E] + [0xE0, 0x5D] + [0x88, 0x27] + [0x08] + s("O9")  // deadline 5 000, at 6 000, elapsed 2 500, satisfaction 4
        expected += [2] + s("old-1") + s("old-2")
        expected += s("95598") + [0xD8, 0x36] + [2] + [2] + [0xD0, 0x0F]  // started 3 500, cycle 2, first time, received 1 000
        expected += [0xE0, 0x5D]  // kept until 6 000
        #expect(w.bytes == expected)
        // And read back: the same slot.
        let back = try? RollupSlot.decode(w.bytes, name: "unit|x", generation: 3)
        #expect(back?.outcome == Self.full && back?.superseded == ["old-1", "old-2"] && back?.keepUntil == Timestamp(milliseconds: 6_000))
        #expect(back?.name == "unit|x" && back?.generation == 3)
    }

    /// A state written before the trailers: what it lacks is absent, and it is kept until its window.
    @Test func anOlderShorterSlotReadsWithoutItsTrailers() throws {
        var w = ByteWriter()
        Self.full.encode(into: &w)
        w.varint(0)
        let slot = try RollupSlot.decode(w.bytes, name: "unit|x", generation: RollupSlot.ownRecord)
        var expected = Self.full
        expected.chargedTo = nil; expected.startedAt = nil; expected.cycle = nil; expected.firstTime = nil; expected.receivedAt = nil
        #expect(slot.outcome == expected)
        #expect(slot.keepUntil == Timestamp(milliseconds: 6_000))
    }

    /// The bound a batch is cut by is never below what is written (the entry: its name, then the slot as a block).
    @Test(arguments: [(full, "unit|ticket:F1:repair.arrival@1"), (bare, "agent|ticket:Q1:volume:received"), (bare, "u|a")])
    func theStoredBoundCoversTheBytes(_ o: Outcome, _ name: String) {
        let slot = RollupSlot(name: name, outcome: o, superseded: ["ticket:F1:repair.arrival@1:sla.met"], generation: 0, keepUntil: o.windowAt)
        var w = ByteWriter()
        w.string(name)
        var e = ByteWriter()
        slot.encode(into: &e)
        w.block(e.bytes)
        #expect(slot.storedBytesBound >= w.bytes.count)
        // The name as a state entry holds it.
        var n = ByteWriter()
        slot.encodeName(into: &n)
        #expect(n.bytes == [UInt8(name.utf8.count)] + Array(name.utf8))
    }

    /// The table finds a slot by its name alone; the generation is not part of it.
    @Test func theTableKeysSlotsByTheirName() {
        var table = RollupSlotTable()
        let a = RollupSlot(name: "unit|ticket:F1:repair.arrival@1", outcome: Self.full, superseded: [], generation: 1, keepUntil: Timestamp(milliseconds: 1))
        let b = RollupSlot(name: "agent|ticket:F1:repair.arrival@1", outcome: Self.full, superseded: [], generation: 2, keepUntil: Timestamp(milliseconds: 1))
        table.put(a); table.put(b)
        #expect(table.count == 2)
        #expect(table["unit|ticket:F1:repair.arrival@1"]?.generation == 1 && table["agent|ticket:F1:repair.arrival@1"]?.generation == 2)
        #expect(table["unit|ticket:F1:repair.arrival@"] == nil && table["unit|ticket:F1:repair.arrival@11"] == nil)
        // A new version replaces the old one under the same name.
        table.put(RollupSlot(name: "unit|ticket:F1:repair.arrival@1", outcome: Self.bare, superseded: ["old"], generation: 5, keepUntil: Timestamp(milliseconds: 2)))
        #expect(table.count == 2)
        #expect(table["unit|ticket:F1:repair.arrival@1"]?.outcome == Self.bare && table["unit|ticket:F1:repair.arrival@1"]?.superseded == ["old"])
        // Found by a slot of the same name, whatever its version.
        #expect(table[b]?.generation == 2 && table[RollupSlot(probe: "agent|nothing")] == nil)
        table.setGeneration(9, of: b)
        #expect(table.count == 2)
        #expect(table["agent|ticket:F1:repair.arrival@1"]?.generation == 9 && table["agent|ticket:F1:repair.arrival@1"]?.outcome == Self.full)
        table.remove(RollupSlot(probe: "unit|ticket:F1:repair.arrival@1"))
        #expect(table.count == 1 && table["unit|ticket:F1:repair.arrival@1"] == nil)
        #expect(table.map(\.name) == ["agent|ticket:F1:repair.arrival@1"])
    }
}
