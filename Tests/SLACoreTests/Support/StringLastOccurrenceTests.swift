import Testing
@testable import SLACore

@Suite struct StringLastOccurrenceTests {
    /// The marker's last start, as a character offset counted by hand.
    private func offset(_ s: String, _ marker: StaticString) -> Int? {
        s.lastOccurrence(of: marker).map { s.distance(from: s.startIndex, to: $0) }
    }

    @Test func findsTheLastOccurrence() {
        #expect(offset("a:sla.b:sla.c", ":sla.") == 7)
        #expect(offset(":sla.", ":sla.") == 0)
        #expect(offset("ticket:T1:repair.arrival@1:sla.met", ":sla.") == 26)
    }

    @Test func findsNothingWhereThereIsNothing() {
        #expect(offset("", ":sla.") == nil)
        #expect(offset(":sla", ":sla.") == nil)
        #expect(offset("ticket:T1:closure:E1", ":sla.") == nil)
        // A partial match right before a full one, and one cut off by the end.
        #expect(offset("x:sl:sla.y:sl", ":sla.") == 4)
    }

    @Test func slicesStringsWithCharactersBeyondASCII() {
        // 供电所 is three characters (nine UTF-8 bytes): the index is a character boundary.
        let id = "ticket:供电所-1:repair.arrival@1:sla.missed"
        let i = try! #require(id.lastOccurrence(of: ":sla."))
        #expect(String(id[..<i]) == "ticket:供电所-1:repair.arrival@1")
        #expect(String(id[i...]) == ":sla.missed")
    }
}
