@testable import SLACore
import Testing

@Suite struct SubjectTableTests {
    private func t(_ s: String) -> SubjectID { SubjectID(.ticket, s) }

    /// Numbers worked out by hand: new subjects take 0, 1, 2 …; a removed subject's number is
    /// given to the next new one (the last freed first); a replaced value keeps its number.
    @Test func entriesAreNumberedInOrderAndFreedNumbersAreReused() {
        var table = SubjectTable<Int>()
        #expect(table.updateValue(10, forKey: t("A")) == nil)
        #expect(table.updateValue(11, forKey: t("B")) == nil)
        #expect(table.updateValue(12, forKey: t("C")) == nil)
        #expect(table.number(of: t("A")) == 0 && table.number(of: t("B")) == 1 && table.number(of: t("C")) == 2)
        #expect(table.updateValue(20, forKey: t("A")) == 10)
        #expect(table.number(of: t("A")) == 0 && table[t("A")] == 20 && table.count == 3)
        #expect(table.removeValue(forKey: t("A")) == 20)
        #expect(table.removeValue(forKey: t("C")) == 12)
        #expect(table.removeValue(forKey: t("C")) == nil)
        #expect(table.count == 1 && table[t("A")] == nil && table.number(of: t("C")) == nil)
        // C was freed last, so D takes 2, then E takes 0, then F the next new number, 3.
        #expect(table.findOrInsert(t("D"), 13) == (2, true))
        #expect(table.findOrInsert(t("E"), 14) == (0, true))
        #expect(table.findOrInsert(t("F"), 15) == (3, true))
        #expect(table.findOrInsert(t("E"), 99) == (0, false) && table[t("E")] == 14)
        #expect(table.remove(number: 1)?.id == t("B") && table.remove(number: 1) == nil && table.entry(7) == nil)
        #expect(table.ids == [t("E"), t("D"), t("F")])
        // The same id as an outage is another subject.
        #expect(table[SubjectID(.outage, "E")] == nil)
    }

    /// Thousands of random inserts, replacements and removals on a few hundred ids against a
    /// `Dictionary` doing the same: every lookup agrees, every number names its own id, and no
    /// two held ids share a number. Removals in a crowded index move the entries after them, so
    /// this is where a wrong backward shift would lose an id.
    @Test func agreesWithADictionaryOverRandomChanges() {
        var rng = SplitMix64(seed: 20)
        var table = SubjectTable<UInt64>()
        var model: [SubjectID: UInt64] = [:]
        let ids = (0..<300).map { t("T\($0)") }
        for step in 0..<20_000 {
            let id = ids[Int(rng.next() % UInt64(ids.count))]
            let v = rng.next()
            switch rng.next() % 5 {
            case 0, 1: #expect(table.updateValue(v, forKey: id) == model.updateValue(v, forKey: id))
            case 2: #expect(table.removeValue(forKey: id) == model.removeValue(forKey: id))
            case 3:
                let r = table.findOrInsert(id, v)
                #expect(r.isNew == (model[id] == nil))
                if r.isNew { model[id] = v }
                #expect(table.entry(r.number)?.id == id)
            default:
                if let n = table.number(of: id) { #expect(table.remove(number: n)?.value == model.removeValue(forKey: id)) }
            }
            if step % 1_000 == 0 || step == 19_999 {
                #expect(table.count == model.count)
                for i in ids { #expect(table[i] == model[i]) }
                let numbers = model.keys.compactMap { table.number(of: $0) }
                #expect(Set(numbers).count == model.count)
                for (i, n) in zip(model.keys, numbers) { #expect(table.entry(n)?.id == i) }
                #expect(Set(table.ids) == Set(model.keys))
            }
        }
    }

    @Test func reservingAndChangingEachKeepEveryEntry() {
        var table = SubjectTable<Int>()
        table.reserveCapacity(1_000)
        for i in 0..<1_000 { table.updateValue(i, forKey: t("T\(i)")) }
        table.updateEach { $0 *= 2 }
        #expect(table.count == 1_000)
        #expect((0..<1_000).allSatisfy { table[t("T\($0)")] == 2 * $0 && table.number(of: t("T\($0)")) == UInt32($0) })
    }

    /// An entry is the id's text (16 bytes), the value and the id's type in the value's spare
    /// tail, and the empty entry costs no extra byte.
    @Test func anEntryIsTheIdAndTheStateOnly() {
        // 16 + state 34 + type 1 = 51 → 56; a 24-byte `SubjectID` before the state made it 64.
        #expect(MemoryLayout<SubjectTable<SubjectState>.Entry?>.stride == 56)
        let e = SubjectTable<Int>.Entry(id: SubjectID(.outage, "O1"), value: 3)
        #expect(e.id == SubjectID(.outage, "O1") && e.holds(SubjectID(.outage, "O1")) && !e.holds(SubjectID(.ticket, "O1")))
        #expect(MemoryLayout<SubjectTable<TimerHandle>.Entry?>.stride == 32)
    }
}
