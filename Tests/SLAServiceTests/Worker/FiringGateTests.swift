import Foundation
import Testing
@testable import SLAService

@Suite struct FiringGateTests {
    @Test func letsABurstThroughThenPacesTheRestInOrder() {
        var gate = FiringGate<Int>(rate: 100)  // a bucket of 10
        gate.enqueue(0..<50)
        let first = gate.take()
        #expect(Array(first.items) == Array(0..<10))
        #expect(first.retryAfterMilliseconds != nil)
        var taken = Array(first.items)
        let began = Date()
        while gate.waiting > 0 {
            Thread.sleep(forTimeInterval: Double(gate.take().retryAfterMilliseconds ?? 0) / 1000)
            let next = gate.take()
            taken += next.items
        }
        #expect(taken == Array(0..<50), "deadline order kept")
        // 40 more at 100/s need about 0.4 s.
        #expect(Date().timeIntervalSince(began) >= 0.3)
    }

    @Test func nothingWaitsBelowTheRate() {
        var gate = FiringGate<Int>(rate: 1000)
        gate.enqueue([1, 2, 3])
        let r = gate.take()
        #expect(Array(r.items) == [1, 2, 3] && r.retryAfterMilliseconds == nil && gate.waiting == 0)
    }
}
