@testable import SLACore
import Testing

@Suite struct PooledTextTests {
    @Test func aTextIsPooledUntilThePoolIsFullThenKeptByItsOwner() {
        let pool = TextPool(limit: 1)
        let none = PooledText.of(nil, in: pool)
        #expect(none.0 == .none && none.kept == nil && none.0.text(in: pool) == nil && !none.0.isKept)
        let a = PooledText.of("A", in: pool)
        #expect(a.kept == nil && a.0.text(in: pool) == "A" && !a.0.isKept)
        #expect(PooledText.of("A", in: pool).0 == a.0)
        let b = PooledText.of("B", in: pool)
        #expect(b.0 == .kept && b.0.isKept && b.kept == "B" && b.0.text(in: pool) == nil)
    }

    /// A fact's names read back as they were set, the same names make equal facts, and a name
    /// cleared leaves no trace.
    @Test func aFactsNamesReadBackAndCompareByText() {
        var f = Fact(eventHash: 1, time: Timestamp(milliseconds: 2), action: .dispatched)
        f.unit = "35401"; f.agent = "工号 8812"; f.feeder = "10kV 城南线 " + String(repeating: "长", count: 30)
        #expect(f.unit == "35401" && f.agent == "工号 8812" && f.feeder == "10kV 城南线 " + String(repeating: "长", count: 30))
        var g = Fact(eventHash: 1, time: Timestamp(milliseconds: 2), action: .dispatched)
        g.feeder = "10kV 城南线 " + String(repeating: "长", count: 30); g.agent = "工号 8812"; g.unit = "35401"
        #expect(f == g)
        g.agent = "工号 8813"
        #expect(f != g && g.agent == "工号 8813")
        f.unit = nil; f.agent = nil; f.feeder = nil
        #expect(f == Fact(eventHash: 1, time: Timestamp(milliseconds: 2), action: .dispatched) && f.unit == nil)
    }

    /// With the pool full, a fact keeps its names itself: they read back, a cleared one goes,
    /// and the rare fields beside them are untouched.
    @Test func aFactKeepsItsNamesWhenThePoolIsFull() {
        let full = TextPool(limit: 1)
        _ = full.number(of: "taken")
        var f = Fact(eventHash: 3, time: Timestamp(milliseconds: 4), action: .created)
        f.area = "A1"
        f.setNames(unit: "U9", agent: nil, feeder: "F9", pool: full)
        #expect(f.unit == "U9" && f.agent == nil && f.feeder == "F9" && f.area == "A1")
        f.setNames(unit: nil, agent: nil, feeder: "F9", pool: full)
        #expect(f.unit == nil && f.feeder == "F9")
        f.setNames(unit: nil, agent: nil, feeder: nil, pool: full)
        var bare = Fact(eventHash: 3, time: Timestamp(milliseconds: 4), action: .created)
        bare.area = "A1"
        #expect(f == bare)
    }
}
