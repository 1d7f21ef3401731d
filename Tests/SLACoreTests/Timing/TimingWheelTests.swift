import PropertyBased
import Testing
@testable import SLACore

/// The obvious implementation the wheel must agree with.
private struct NaiveTimers {
    var pending: [TimerHandle: (deadline: Int64, seq: Int)] = [:]
    var seq = 0
    mutating func add(_ h: TimerHandle, _ d: Int64) { pending[h] = (d, seq); seq += 1 }
    mutating func due(_ t: Int64) -> [(handle: TimerHandle, deadline: Int64)] {
        let due = pending.filter { $0.value.deadline <= t }.sorted { ($0.value.deadline, $0.value.seq) < ($1.value.deadline, $1.value.seq) }
        for (h, _) in due { pending[h] = nil }
        return due.map { ($0.key, $0.value.deadline) }
    }
}

@Suite struct TimingWheelTests {
    static let start: Int64 = 1_795_306_500_000  // 2026-11-22T00:15Z
    static let day: Int64 = 86_400_000
    static let span: Int64 = 1 << 36

    /// Interprets a list of numbers as schedule / cancel / advance operations and checks the
    /// wheel against the naive model after each one.
    private func check(_ program: [Int]) {
        var wheel = TimingWheel<Int>(now: Self.start)
        var model = NaiveTimers()
        var now = Self.start
        var stale: [TimerHandle] = []
        for x in program {
            let arg = Int64(x / 8)
            switch x % 8 {
            case 0, 1, 2:
                let deadline: Int64
                switch arg % 7 {
                case 0: deadline = now - 1 - (arg / 7) % 100_000                      // in the past
                case 1: deadline = now                                              // due now
                case 2: deadline = now + (arg / 7) % 2_000                          // within level 0/1
                case 3: deadline = now + (arg / 7) % Self.day                       // within a day
                case 4: deadline = now + (arg / 7) % (64 * Self.day)                // the SLA range
                case 5: deadline = now + Self.span + (arg / 7) % (3 * 365 * Self.day)  // beyond the top level
                default: deadline = model.pending.values.map(\.deadline).sorted().first ?? now + 5  // equal deadlines
                }
                let h = wheel.schedule(at: deadline, x)
                model.add(h, deadline)
            case 3:
                guard !model.pending.isEmpty else { continue }
                let keys = model.pending.keys.sorted { ($0.index, $0.generation) < ($1.index, $1.generation) }
                let h = keys[Int(arg) % keys.count]
                let cancelled = wheel.cancel(h)
                #expect(cancelled)
                model.pending[h] = nil
                stale.append(h)
            case 4:
                // Stale handles: cancelled, fired, or reused slots must be no-ops.
                if let h = stale.isEmpty ? nil : stale[Int(arg) % stale.count] {
                    let cancelled = wheel.cancel(h)
                    #expect(!cancelled)
                    #expect(wheel.deadline(of: h) == nil)
                }
            case 5, 6:
                let steps: [Int64] = [2_000, Self.day, 100 * Self.day, 3 * 365 * Self.day]
                now += (arg / 4) % steps[Int(arg % 4)]
                let fired = wheel.advance(to: now)
                let expected = model.due(now)
                #expect(fired.map(\.deadline) == fired.map(\.deadline).sorted(), "not in deadline order")
                #expect(fired.allSatisfy { $0.deadline <= now }, "fired early")
                #expect(Set(fired.map(\.handle)) == Set(expected.map(\.handle)), "different timers fired")
                #expect(fired.map(\.deadline) == expected.map(\.deadline))
                stale += fired.map(\.handle)
            default:
                let earliest = model.pending.values.map(\.deadline).min()
                #expect(wheel.earliestDeadline() == earliest)
                if let earliest { #expect(wheel.nextWakeup()! <= max(earliest, now)) } else { #expect(wheel.nextWakeup() == nil) }
            }
            #expect(wheel.count == model.pending.count)
        }
        // Drain: everything left fires, in order, by the end of time.
        let fired = wheel.advance(to: now + 4 * 365 * Self.day)
        #expect(Set(fired.map(\.handle)) == Set(model.pending.keys))
        #expect(fired.map(\.deadline) == fired.map(\.deadline).sorted())
        #expect(wheel.count == 0)
    }

    @Test func agreesWithANaiveModel() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max)).array(of: 1...300)) { program in
            check(program)
        }
    }

    @Test func firesExactlyAtTheDeadlineNeverEarly() {
        var w = TimingWheel<Int>(now: Self.start)
        let d = Self.start + 45 * Self.day + 123
        _ = w.schedule(at: d, 1)
        let early = w.advance(to: d - 1)
        #expect(early.isEmpty)
        #expect(w.nextWakeup() == d)  // after the cascades, the level-0 slot itself
        let fired = w.advance(to: d)
        #expect(fired.map(\.deadline) == [d] && fired.map(\.payload) == [1])
    }

    @Test func aStaleHandleStaysStaleWhenItsSlotIsReused() {
        var w = TimingWheel<Int>(now: Self.start)
        let a = w.schedule(at: Self.start + 10, 1)
        let cancelled = w.cancel(a)
        #expect(cancelled)
        let b = w.schedule(at: Self.start + 20, 2)
        #expect(b.index == a.index && b.generation != a.generation)
        let again = w.cancel(a)
        #expect(!again)
        #expect(w.deadline(of: b) == Self.start + 20)
        let fired = w.advance(to: Self.start + 20)
        #expect(fired.map(\.payload) == [2])
        let afterFiring = w.cancel(b)
        #expect(!afterFiring)
    }

    @Test func pastAndFarDeadlines() {
        var w = TimingWheel<Int>(now: Self.start)
        _ = w.schedule(at: Self.start - 5_000, 1)
        _ = w.schedule(at: Self.start - 9_000, 2)
        _ = w.schedule(at: Self.start + Self.span * 2 + 7, 3)
        #expect(w.nextWakeup() == Self.start)
        let past = w.advance(to: Self.start)
        #expect(past.map(\.payload) == [2, 1])
        #expect(w.earliestDeadline() == Self.start + Self.span * 2 + 7)
        let before = w.advance(to: Self.start + Self.span * 2 + 6)
        #expect(before.isEmpty)
        let far = w.advance(to: Self.start + Self.span * 2 + 7)
        #expect(far.map(\.payload) == [3])
    }

    @Test func reusesNodesInsteadOfGrowing() {
        var w = TimingWheel<Int>(now: Self.start, capacity: 1_000)
        for round in 0..<50 {
            let handles = (0..<1_000).map { w.schedule(at: Self.start + Int64(round * 1_000 + $0), $0) }
            for h in handles.prefix(500) { w.cancel(h) }
            _ = w.advance(to: Self.start + Int64(round * 1_000 + 999))
        }
        // The node slab never grew past what was reserved: freed nodes were reused.
        #expect(w.s.capacity == 1_000)
        // Emptied slot vectors keep at most 1024 entries each for reuse, so the rest is bounded.
        #expect(w.memoryFootprint <= 1_000 * (16 + 8) + WheelGeometry.lists * (1024 * 4 + 16) + 48)
        #expect(MemoryLayout<WheelNode>.stride == 16)
    }
}
