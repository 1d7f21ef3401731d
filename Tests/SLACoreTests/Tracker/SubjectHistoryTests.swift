@testable import SLACore
import Testing

@Suite struct SubjectHistoryTests {
    private func fact(_ n: Int, unit: String? = nil) -> Fact {
        var f = Fact(eventHash: UInt64(n), time: Timestamp(milliseconds: Int64(n)), action: .updated)
        f.unit = unit
        if n % 3 == 0 { f.area = "A\(n)" }  // some with their rare box
        return f
    }

    private func mark(_ stage: Int, _ start: Int64, bits: UInt32 = 1) -> StageMark {
        var m = StageMark(stage: stage, start: start, bits: bits)
        if stage % 2 == 0 { m.alarmRevisions = [.init(flag: 2, revision: UInt16(stage))] }
        return m
    }

    /// Positions worked out by hand: inserting 2 at 0 of [1] gives [2, 1], 3 at 1 gives [2, 3, 1].
    @Test func factsGoWhereTheyAreInsertedAndMarksAfterTheOthers() {
        var h = SubjectHistory()
        #expect(h.facts.isEmpty && h.marks.isEmpty && h == SubjectHistory())
        h.insertFact(fact(1), at: 0)
        h.insertFact(fact(2), at: 0)
        h.insertFact(fact(3, unit: "U"), at: 1)
        #expect(h.facts.map(\.eventHash) == [2, 3, 1] && h.facts[1].unit == "U" && h.facts[1].area == "A3")
        h.appendMark(mark(0, 10))
        h.appendMark(mark(1, 20))
        h.setMark(mark(1, 20, bits: 9), at: 1)
        #expect(h.marks.map(\.bits) == [1, 9] && h.marks[0].alarmRevisions.count == 1)
        h.insertFact(fact(4), at: 3)
        #expect(h.facts.map(\.eventHash) == [2, 3, 1, 4] && h.marks.map(\.start) == [10, 20])
        h.replaceMarks(with: [mark(3, 30)])
        #expect(h.marks.map(\.stage) == [3] && h.facts.count == 4)
    }

    /// A copy is a value: changing one leaves the other as it was, and equal contents compare equal.
    @Test func aCopyIsUnchangedByChangesToTheOriginal() {
        var a = SubjectHistory()
        a.insertFact(fact(1), at: 0)
        a.appendMark(mark(0, 1))
        let b = a
        let view = a.facts
        a.insertFact(fact(2), at: 1)
        a.setMark(mark(0, 1, bits: 7), at: 0)
        #expect(b.facts.map(\.eventHash) == [1] && b.marks.map(\.bits) == [1] && view.count == 1)
        #expect(a.facts.map(\.eventHash) == [1, 2] && a.marks.map(\.bits) == [7] && a != b)
        var c = SubjectHistory()
        c.insertFact(fact(1), at: 0)
        c.appendMark(mark(0, 1))
        #expect(c == b)
    }

    /// Random inserts, mark changes and copies against two plain arrays doing the same.
    @Test func agreesWithTwoArraysOverRandomChanges() {
        var rng = SplitMix64(seed: 7)
        var h = SubjectHistory(), facts: [Fact] = [], marks: [StageMark] = []
        var kept: [(SubjectHistory, [Fact], [StageMark])] = []
        for step in 0..<3_000 {
            switch rng.next() % 6 {
            case 0, 1:
                let i = Int(rng.next() % UInt64(facts.count + 1))
                let f = fact(step, unit: step % 2 == 0 ? "unit \(step) with a name longer than fifteen bytes" : nil)
                h.insertFact(f, at: i); facts.insert(f, at: i)
            case 2:
                let m = mark(step % 5, Int64(step))
                h.appendMark(m); marks.append(m)
            case 3 where !marks.isEmpty:
                let i = Int(rng.next() % UInt64(marks.count))
                let m = mark(step % 4, Int64(step), bits: UInt32(step))
                h.setMark(m, at: i); marks[i] = m
            case 4:
                kept.append((h, facts, marks))  // shared until the next change
            default:
                if rng.next() % 8 == 0 {
                    let ms = marks.filter { $0.stage != 2 }
                    h.replaceMarks(with: ms); marks = ms
                }
            }
            #expect(Array(h.facts) == facts && Array(h.marks) == marks)
        }
        for (k, f, m) in kept { #expect(Array(k.facts) == f && Array(k.marks) == m) }
    }
}
