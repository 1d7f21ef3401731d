import Testing
@testable import SLACore

@Suite struct SlotGenerationsTests {
    @Test func aBatchIsHandedOverOnceItsLastCurrentSlotLeaves() {
        var g = SlotGenerations()
        let first = g.open(), second = g.open()
        #expect([first, second] == [0, 1])
        g.hold(first); g.hold(first); g.hold(second)
        #expect(g.takeEmptied().isEmpty && g.count == 2)
        g.release(first)
        #expect(g.takeEmptied().isEmpty, "batch 0 still holds one slot")
        g.release(first)
        #expect(g.takeEmptied() == [0] && g.count == 1)
        #expect(g.takeEmptied().isEmpty, "handed over once")
    }

    @Test func aBatchReadBackWithNoSlotOfItsOwnIsHandedOverAndNumbersGoOnAboveIt() {
        var g = SlotGenerations()
        g.seen(5); g.seen(2); g.hold(2)
        #expect(g.next == 6)
        #expect(g.takeEmptied() == [5])
        #expect(g.open() == 6)
    }

    @Test func aSlotThatLeftAndCameBackKeepsItsBatch() {
        var g = SlotGenerations()
        let b = g.open()
        g.hold(b); g.release(b); g.hold(b)
        #expect(g.takeEmptied().isEmpty && g.count == 1)
    }
}
