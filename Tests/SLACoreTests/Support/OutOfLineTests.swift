@testable import SLACore
import Testing

@Suite struct OutOfLineTests {
    @Test func emptyHoldsNothingAndEqualsEmpty() {
        let a = OutOfLine<String>(), b = OutOfLine<String>()
        #expect(a.value == nil)
        #expect(a == b)
    }

    @Test func valuesCompareByContentNotByBox() {
        var a = OutOfLine<String>(), b = OutOfLine<String>()
        a.value = "U1"
        b.value = "U1"  // a box of its own, same content
        #expect(a == b)
        b.value = "U2"
        #expect(a != b)
        b.value = nil
        #expect(a != b)
    }

    @Test func aCopyIsNotChangedByTheOriginal() {
        var a = OutOfLine<[Int]>()
        a.value = [1, 2]
        let copy = a
        a.value?.append(3)
        #expect(copy.value == [1, 2])
        #expect(a.value == [1, 2, 3])
    }
}
