import Testing
@testable import SLACore

/// The gate's pacing on hand-picked instants (it reads no clock itself).
@Suite struct FiringGateTests {
    @Test func letsABurstThroughThenPacesTheRestInOrder() {
        var gate = FiringGate<Int>(rate: 100, now: 0)  // a bucket of 10, one token per 10 ms
        gate.enqueue(0..<50)
        let first = gate.take(now: 0)
        #expect(Array(first.items) == Array(0..<10))
        // The bucket is empty: one token takes 10 ms (the answer rounds up by a millisecond).
        #expect(first.retryAfterMilliseconds == 11)
        var taken = Array(first.items)
        // 100 ms later ten tokens have come back: the next ten, in order.
        let second = gate.take(now: 100)
        #expect(Array(second.items) == Array(10..<20))
        taken += second.items
        // 40 ms after that, four more.
        let third = gate.take(now: 140)
        #expect(Array(third.items) == Array(20..<24))
        taken += third.items
        // A long pause refills no more than the bucket (10), however long it was.
        let fourth = gate.take(now: 60_000)
        #expect(Array(fourth.items) == Array(24..<34))
        taken += fourth.items
        var t: Int64 = 60_000
        while gate.waiting > 0 {
            t += 100
            taken += gate.take(now: t).items
        }
        #expect(taken == Array(0..<50), "deadline order kept")
        #expect(t == 60_200, "the last 16 need two refills of 10")
    }

    @Test func nothingWaitsBelowTheRate() {
        var gate = FiringGate<Int>(rate: 1000, now: 5)
        gate.enqueue([1, 2, 3])
        let r = gate.take(now: 5)
        #expect(Array(r.items) == [1, 2, 3] && r.retryAfterMilliseconds == nil && gate.waiting == 0)
    }

    @Test func aClockThatDoesNotMoveGivesNoMoreTokens() {
        var gate = FiringGate<Int>(rate: 10, now: 0)  // a bucket of 1
        gate.enqueue([7, 8])
        #expect(Array(gate.take(now: 0).items) == [7])
        #expect(gate.take(now: 0).items.isEmpty)
        #expect(Array(gate.take(now: 100).items) == [8])
    }
}
