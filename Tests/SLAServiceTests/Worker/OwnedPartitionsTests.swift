import Testing
import SLACore
import SLAKafka
@testable import SLAService

/// The backlog rule on its own: no queue, no clock, no broker.
@Suite struct OwnedPartitionsTests {
    let p0 = TopicPartition("95598.tickets", 0), p1 = TopicPartition("95598.tickets", 1)
    let a = SubjectID(.ticket, "A"), b = SubjectID(.ticket, "B"), c = SubjectID(.ticket, "C")

    @Test func aBacklogHoldsTimersUntilItsLastRecordAndReleasesThemOldestFirst() {
        var o = OwnedPartitions()
        o.adopt(p0, backlogEnd: 3)  // offsets 0, 1, 2 were waiting
        o.adopt(p1)
        #expect(o.inBacklog(p0) && !o.inBacklog(p1) && o.anyInBacklog)
        o.holdTimer(a, due: 300, of: p0)
        o.holdTimer(b, due: 100, of: p0)
        o.holdTimer(c, due: 200, of: p0)
        o.holdEvaluation(c, of: p0)
        #expect(o.heldEvaluationCount == 1)
        for offset in Int64(0)..<2 {
            o.processed(p0, offset: offset)
            #expect(!o.endsBacklog(p0, offset: offset), "offset \(offset) is not the last")
        }
        o.processed(p0, offset: 2)
        #expect(o.endsBacklog(p0, offset: 2))
        let released = o.endBacklog(p0)
        #expect(released.timers == [b, c, a], "by due time: 100, 200, 300")
        #expect(released.evaluations == [c])
        #expect(!o.anyInBacklog && o.heldEvaluationCount == 0)
        #expect(o.processed[p0] == 3, "the next offset to commit")
        #expect(o.endBacklog(p0).isEmpty, "a second end releases nothing")
    }

    @Test func aPositionPastTheEndEndsTheBacklogEvenWhenItsLastRecordsAreGone() {
        var o = OwnedPartitions()
        o.adopt(p0, backlogEnd: 10)
        o.adopt(p1, backlogEnd: 5)
        o.holdTimer(a, due: 1, of: p0)
        o.holdTimer(b, due: 2, of: p1)
        // p1's consumer is at 5 (records 3 and 4 were transaction markers); p0 is at 9.
        let released = o.positions([p0: 9, p1: 5])
        #expect(released == [OwnedPartitions.Released(timers: [b], evaluations: [])])
        #expect(o.inBacklog(p0) && !o.inBacklog(p1) && o.backlogPartitions == [p0])
        #expect(o.positions([:]).isEmpty, "no position, no end")
    }

    @Test func aDroppedPartitionTakesItsHeldWorkWithIt() {
        var o = OwnedPartitions()
        o.adopt(p0, backlogEnd: 2)
        o.processed(p0, offset: 0)
        o.holdTimer(a, due: 1, of: p0)
        o.holdEvaluation(b, of: p0)
        o.drop(p0)
        #expect(!o.owns(p0) && !o.inBacklog(p0) && o.processed[p0] == nil && o.heldEvaluationCount == 0)
        o.adopt(p0)
        #expect(o.endBacklog(p0).isEmpty, "nothing held survives a drop and a new adoption")
        #expect(o.partitions(of: "95598.tickets") == [0])
    }
}
