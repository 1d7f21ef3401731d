import Dispatch
import Foundation
import SLACore
import SLAService
import Testing

/// Collects what a driver fires, from its queue.
private final class Fired: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(payload: Int, deadline: Int64, firedAt: Timestamp)] = []
    func add(_ e: [ExpiredTimer<Int>], at t: Timestamp) { lock.withLock { items += e.map { ($0.payload, $0.deadline, t) } } }
    var all: [(payload: Int, deadline: Int64, firedAt: Timestamp)] { lock.withLock { items } }
    func waitFor(_ n: Int, seconds: Double = 5) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end { if all.count >= n { return true }; Thread.sleep(forTimeInterval: 0.002) }
        return all.count >= n
    }
}

@Suite struct WheelDriverTests {
    let start = Timestamp(milliseconds: 1_795_306_500_000)

    private func driver(_ clock: any SLAClock, _ fired: Fired, queue: DispatchQueue) -> WheelDriver<Int> {
        WheelDriver<Int>(queue: queue, clock: clock) { batch in fired.add(batch, at: clock.now()) }
    }

    @Test func firesOnAManualClockOnlyWhenItReachesTheDeadline() {
        let q = DispatchQueue(label: "test.manual")
        let clock = ManualClock(start: start)
        let fired = Fired()
        let d = driver(clock, fired, queue: q)
        let cancelled = q.sync { () -> TimerHandle in
            d.start()
            _ = d.schedule(at: start.adding(.seconds(20)), 2)
            _ = d.schedule(at: start.adding(.seconds(10)), 1)
            return d.schedule(at: start.adding(.seconds(15)), 9)
        }
        q.sync { #expect(d.cancel(cancelled)) }
        clock.advance(to: start.adding(TimeSpan(milliseconds: 9_999)))
        q.sync {}
        #expect(fired.all.isEmpty)
        clock.advance(to: start.adding(.seconds(16)))
        q.sync {}
        #expect(fired.all.map(\.payload) == [1])
        clock.advance(to: start.adding(.days(1)))
        q.sync {}
        #expect(fired.all.map(\.payload) == [1, 2])
        #expect(fired.all.allSatisfy { $0.firedAt.milliseconds >= $0.deadline })
        q.sync { #expect(d.pending == 0 && d.wakeups == 0) }  // a manual clock never needs the system timer
    }

    @Test func firesOnAnAcceleratedClockNeverEarly() {
        let q = DispatchQueue(label: "test.accelerated")
        // One real millisecond is one simulated minute.
        let clock = AcceleratedClock(start: start, factor: 60_000)
        let fired = Fired()
        let d = driver(clock, fired, queue: q)
        q.sync {
            d.start()
            for m in [30, 5, 45, 90] { _ = d.schedule(at: clock.now().adding(.minutes(Int64(m))), m) }
        }
        #expect(fired.waitFor(4))
        #expect(fired.all.map(\.payload) == [5, 30, 45, 90])
        #expect(fired.all.allSatisfy { $0.firedAt.milliseconds >= $0.deadline })
    }

    @Test func firesOnTheSystemClockAndRearmsForAnEarlierTimer() {
        let q = DispatchQueue(label: "test.system")
        let clock = SystemClock()
        let fired = Fired()
        let d = driver(clock, fired, queue: q)
        q.sync {
            d.start()
            _ = d.schedule(at: clock.now().adding(.seconds(3_600)), 1)  // arms for an hour ahead
            _ = d.schedule(at: clock.now().adding(TimeSpan(milliseconds: 40)), 2)  // must re-arm earlier
        }
        #expect(fired.waitFor(1, seconds: 5))
        #expect(fired.all.map(\.payload) == [2])
        #expect(fired.all.allSatisfy { $0.firedAt.milliseconds >= $0.deadline })
        q.sync { d.stop() }
    }

    @Test func doesNotWakeWhileNothingIsDue() {
        let q = DispatchQueue(label: "test.idle")
        let clock = SystemClock()
        let d = WheelDriver<Int>(queue: q, clock: clock) { _ in }
        q.sync {
            d.start()
            for i in 0..<10_000 { _ = d.schedule(at: clock.now().adding(.hours(2)).adding(TimeSpan(milliseconds: Int64(i))), i) }
        }
        Thread.sleep(forTimeInterval: 0.3)
        q.sync {
            #expect(d.wakeups == 0)
            #expect(d.pending == 10_000)
            d.stop()
        }
    }
}
