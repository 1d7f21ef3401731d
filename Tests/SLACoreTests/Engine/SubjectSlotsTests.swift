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

    /// Which slot each arm gives and which timer it cancels, worked out by hand: a new subject
    /// takes a freed slot first, else the next one, and cancels nothing; a re-arm keeps its slot
    /// and cancels its own last timer only.
    @Test func armGivesSlotsInOrderAndCancelsOnlyTheSubjectsOwnTimer() {
        var wheel = TimingWheel<UInt32>(now: 0)
        var slots = SubjectSlots()
        var scheduled: [UInt32] = [], cancelled: [TimerHandle] = []
        var handles: [String: TimerHandle] = [:]
        func arm(_ name: String, at t: Int64) {
            slots.arm(SubjectID(.ticket, name), cancel: { cancelled.append($0); wheel.cancel($0) },
                      schedule: { scheduled.append($0); let h = wheel.schedule(at: t, $0); handles[name] = h; return h })
        }
        arm("A", at: 100)
        arm("B", at: 200)
        #expect(scheduled == [0, 1] && cancelled.isEmpty)
        let firstA = handles["A"]
        arm("A", at: 300)
        #expect(scheduled == [0, 1, 0] && cancelled == [firstA])
        let lastA = handles["A"]
        #expect(slots.disarm(SubjectID(.ticket, "A")) { cancelled.append($0) })
        #expect(cancelled == [firstA, lastA])
        arm("C", at: 400)
        #expect(scheduled == [0, 1, 0, 0] && cancelled.count == 2 && slots.count == 2)
        #expect(slots.fired(0) == SubjectID(.ticket, "C") && slots.fired(1) == SubjectID(.ticket, "B"))
        #expect(slots.count == 0 && slots.fired(0) == nil)
    }
}
