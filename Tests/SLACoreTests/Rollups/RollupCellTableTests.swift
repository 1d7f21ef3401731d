import Testing
@testable import SLACore

@Suite struct RollupCellTableTests {
    static func window(_ grain: RollupGrain, _ local: String) -> RollupWindow { RollupWindow.of(Fixtures.t(local), grain, calendar: Fixtures.calendar) }
    static func unitKey(_ unit: String, _ grain: RollupGrain, _ local: String) -> RollupKey {
        RollupKey(view: .unit, window: window(grain, local), owner: unit, kind: "fault_repair", stage: "repair.arrival", region: "urban")
    }

    @Test func aKeyComesBackFromItsIDAndCellsOfOneGroupShareItsNumber() throws {
        var table = RollupCellTable()
        let hour = Self.unitKey("U1", .hour, "2026-11-22T08:10"), day = Self.unitKey("U1", .day, "2026-11-22T08:10")
        let a = table.put(hour, RollupCell()), b = table.put(day, RollupCell())
        #expect(a.group == b.group && a != b)
        #expect(table.key(of: a) == hour && table.key(of: b) == day)
        #expect(table.id(of: hour) == a && table.id(of: day) == b)
        #expect(table.id(of: Self.unitKey("U2", .hour, "2026-11-22T08:10")) == nil, "no cell of that group")
        // Same group, a window not held: an id, but no cell.
        let other = try #require(table.id(of: Self.unitKey("U1", .hour, "2026-11-22T09:10")))
        #expect(table[other] == nil && table.count == 2)
    }

    @Test func aGroupGoesWithItsLastCellAndItsNumberServesTheNextGroup() {
        var table = RollupCellTable()
        let hour = Self.unitKey("U1", .hour, "2026-11-22T08:10"), day = Self.unitKey("U1", .day, "2026-11-22T08:10")
        let a = table.put(hour, RollupCell()), b = table.put(day, RollupCell())
        table.remove(a)
        #expect(table.id(of: day) == b, "one cell left: the group stays")
        table.remove(b)
        #expect(table.id(of: day) == nil && table.id(of: hour) == nil && table.count == 0)
        let u2 = Self.unitKey("U2", .day, "2026-11-23T08:10")
        var counted = RollupCell()
        counted.met = 3
        let c = table.put(u2, counted)
        #expect(c.group == a.group, "the freed number is used again")
        #expect(table.key(of: c) == u2 && table[c]?.met == 3)
        #expect(table.id(of: day) == nil, "U1's key does not find U2's cells under the reused number")
    }

    @Test func windowsGoOnlyWithThePruneThatDropsTheirCells() {
        var table = RollupCellTable()
        let early = Self.unitKey("U1", .hour, "2026-11-22T08:10"), late = Self.unitKey("U1", .hour, "2026-11-22T10:10")
        let a = table.put(early, RollupCell()), b = table.put(late, RollupCell())
        table.remove(a)
        // The 08 hour ends at 09:00, the 10 hour at 11:00: a horizon of 10:30 drops the first window alone.
        table.dropWindows(endingBefore: Fixtures.t("2026-11-22T10:30"))
        #expect(table.key(of: b) == late && table.window(of: b).label == "2026-11-22T10")
    }
}
