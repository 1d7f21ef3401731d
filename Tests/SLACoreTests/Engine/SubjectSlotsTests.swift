import SLACore
import Testing

@Suite struct SubjectSlotsTests {
    @Test func oneTimerPerSubjectAndSlotsAreReused() {
        var wheel = TimingWheel<UInt32>(now: 0)
        var slots = SubjectSlots()
        let a = SubjectID(.ticket, "A"), b = SubjectID(.ticket, "B")
        slots.arm(a, cancel: { wheel.cancel($0) }, schedule: { wheel.schedule(at: 100, $0) })
        slots.arm(b, cancel: { wheel.cancel($0) }, schedule: { wheel.schedule(at: 200, $0) })
        // Re-arming replaces A's timer.
        slots.arm(a, cancel: { wheel.cancel($0) }, schedule: { wheel.schedule(at: 300, $0) })
        #expect(wheel.count == 2 && slots.count == 2)
        let due = wheel.advance(to: 250)
        #expect(due.count == 1)
        #expect(slots.fired(due[0].payload) == b)
        #expect(slots.disarm(a) { wheel.cancel($0) })
        #expect(!slots.disarm(a) { wheel.cancel($0) })
        #expect(wheel.count == 0 && slots.count == 0)
        // A freed slot is used again.
        slots.arm(b, cancel: { wheel.cancel($0) }, schedule: { wheel.schedule(at: 400, $0) })
        #expect(slots.memoryFootprint > 0)
    }
}
