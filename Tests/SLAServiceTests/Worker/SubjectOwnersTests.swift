@testable import SLAService
import Testing

/// The split of a worker into owner queues: who owns a partition, each owner's catch-up share,
/// and a worker's counters as the sum of its owners'.
@Suite struct SubjectOwnersTests {
    @Test func catchUpSharesStayWithinTheWorkersRate() {
        #expect(SubjectOwners.catchUpShare(rate: 500, owners: 1) == 500)
        #expect(SubjectOwners.catchUpShare(rate: 500, owners: 2) == 250)
        #expect(SubjectOwners.catchUpShare(rate: 5, owners: 2) == 2)    // 2 + 2 ≤ 5
        #expect(SubjectOwners.catchUpShare(rate: 500, owners: 3) == 166)  // 3 × 166 = 498 ≤ 500
        #expect(SubjectOwners.catchUpShare(rate: 1, owners: 4) == 1)    // never none
    }

    @Test func ownersCountersAddUp() {
        var a = WorkerStats(), b = WorkerStats()
        a.consumed = 10; a.subjects = 3; a.emitted = ["sla.overdue": 2, "sla.met": 1]; a.checkpoints = 7; a.rollupOutcomes = ["applied": 4]
        b.consumed = 5; b.subjects = 4; b.emitted = ["sla.overdue": 1]; b.checkpoints = 7; b.rollupOutcomes = ["applied": 1, "corrected": 1]
        b.partitions = 2; a.partitions = 2; b.duplicates = 1
        var sum = WorkerStats()
        sum.add(a); sum.add(b)
        #expect(sum.consumed == 15)
        #expect(sum.subjects == 7)
        #expect(sum.partitions == 4)
        #expect(sum.duplicates == 1)
        #expect(sum.emitted == ["sla.overdue": 3, "sla.met": 1])
        #expect(sum.rollupOutcomes == ["applied": 5, "corrected": 1])
        #expect(sum.checkpoints == 7, "a checkpoint is the worker's: every owner takes part in it once")
    }

    @Test func theOwnersSettingIsReadAndBounded() throws {
        var s = WorkerSettings()
        #expect(s.owners == 0)
        #expect(s.ownerCount >= 1)
        try s.set("owners", "3")
        #expect(s.ownerCount == 3)
        #expect(throws: (any Error).self) { try s.set("owners", "65") }
        #expect(throws: (any Error).self) { try s.set("owners", "-1") }
        #expect(throws: (any Error).self) { try s.set("owners", "two") }
    }
}
