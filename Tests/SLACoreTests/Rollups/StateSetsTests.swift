import Testing
@testable import SLACore

@Suite struct StateSetsTests {
    @Test func aSetIsHandedOverOnceItsLastCurrentEntryLeavesWithItsRecordCount() {
        var s = StateSets()
        let first = s.open()
        s.add(first); s.add(first)
        s.close(first, chunks: 2)
        let second = s.open()
        s.add(second)
        s.close(second, chunks: 1)
        #expect([first, second] == [0, 1])
        #expect(s.takeEmptied().isEmpty && s.count == 2 && s.current == 3 && s.stale == 0)
        s.release(first)
        #expect(s.takeEmptied().isEmpty, "set 0 still holds one entry")
        s.release(first)
        let emptied = s.takeEmptied()
        #expect(emptied.map(\.set) == [0] && emptied.map(\.chunks) == [2] && s.count == 1)
        #expect(s.takeEmptied().isEmpty, "handed over once")
        #expect(s.current == 1 && s.stale == 0, "the deleted set's stale copies are gone with it")
    }

    @Test func aSetReadBackWithNoCurrentEntryIsHandedOverAndNumbersGoOnAboveEverySetSeen() {
        var s = StateSets()
        s.seen(5, chunks: 1, entries: 3)
        s.seen(2, chunks: 1, entries: 1)
        s.holdRestored(2)
        s.passed(9)  // a set cut short: not counted, but its number is taken
        #expect(s.next == 10 && s.current == 1 && s.stale == 3)
        #expect(s.takeEmptied().map(\.set) == [5])
        #expect(s.open() == 10)
    }

    @Test func sparseSetsAreNamedOnceStaleCopiesOutnumberCurrentEntries() {
        var s = StateSets()
        s.staleAllowance = 2
        // Set 0: 4 entries, 1 current after 3 left; set 1: 4 entries, 3 current after 1 left.
        let a = s.open(); for _ in 0..<4 { s.add(a) }; s.close(a, chunks: 1)
        let b = s.open(); for _ in 0..<4 { s.add(b) }; s.close(b, chunks: 1)
        s.release(a); s.release(a)
        // current 6, stale 2: within the allowance.
        #expect(!s.wantsRewrite)
        s.release(a); s.release(b)
        // current 4, stale 4: 4 > 4 + 2 is false still.
        #expect(!s.wantsRewrite)
        s.staleAllowance = 0
        #expect(!s.wantsRewrite, "4 stale against 4 current is not more")
        s.release(b)
        // current 3, stale 5.
        #expect(s.wantsRewrite)
        #expect(s.isSparse(a), "1 of 4 current")
        #expect(!s.isSparse(b), "2 of 4 current is half, not less")
    }
}
