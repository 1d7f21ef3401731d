@testable import SLACore
import Testing

@Suite struct OutOfLineValuesTests {
    @Test func setReadReplaceAndRemove() {
        var t = OutOfLineValues<String, [Int]>()
        #expect(t.count == 0 && t["a"] == nil)
        t["a"] = [1]
        t["b"] = [2, 3]
        t["a"] = [4]
        #expect(t.count == 2 && t["a"] == [4] && t["b"] == [2, 3])
        t["b"] = nil
        #expect(t.count == 1 && t["b"] == nil)
    }

    @Test func iterationSeesEveryEntryOnce() {
        var t = OutOfLineValues<Int, String>()
        for i in 0..<100 { t[i] = "v\(i)" }
        var seen: [Int: String] = [:]
        for (k, v) in t { #expect(seen.updateValue(v, forKey: k) == nil) }
        #expect(seen == Dictionary(uniqueKeysWithValues: (0..<100).map { ($0, "v\($0)") }))
    }

    @Test func aCopyKeepsItsValuesWhenTheOriginalChangesOrIsPrunedWhileWalked() {
        var t = OutOfLineValues<Int, [Int]>()
        for i in 0..<10 { t[i] = [i] }
        let copy = t
        for (k, _) in t where k % 2 == 0 { t[k] = nil }  // removing while walking, as a prune does
        t[1] = [100]
        #expect(t.count == 5 && t[1] == [100])
        #expect(copy.count == 10 && copy[1] == [1] && copy[0] == [0])
    }

    @Test func modifyChangesTheHeldValueAndNeverACopysOrAMissingKey() {
        var t = OutOfLineValues<String, [Int]>()
        t["a"] = [1]
        #expect(t.modify("a") { $0.append(2) })
        #expect(t["a"] == [1, 2])
        let copy = t  // shares every box with `t` now
        #expect(t.modify("a") { $0.append(3) })
        #expect(t["a"] == [1, 2, 3] && copy["a"] == [1, 2])
        var copy2 = copy
        #expect(copy2.modify("a") { $0 = [9] })
        #expect(copy2["a"] == [9] && copy["a"] == [1, 2] && t["a"] == [1, 2, 3])
        var called = false
        #expect(!t.modify("z") { _ in called = true })
        #expect(!called && t["z"] == nil && t.count == 1)
    }
}
