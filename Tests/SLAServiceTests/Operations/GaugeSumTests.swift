import MetricsTestKit
@testable import SLACore
@testable import SLAService
import Testing

/// Gauges several owner queues contribute to: each records its own part, the gauge shows the sum.
@Suite struct GaugeSumTests {
    @Test func eachOwnerReplacesOnlyItsOwnPart() throws {
        let metrics = TestMetrics()
        let sums = GaugeSums(factory: metrics)
        let a = OwnerGauge(sum: sums.sum(MetricName.subjects), owner: 0)
        let b = OwnerGauge(sum: sums.sum(MetricName.subjects), owner: 1)
        a.record(3)
        b.record(4)
        #expect(try metrics.expectGauge(MetricName.subjects).lastValue == 7)
        a.record(1)  // owner 0 now holds 1; owner 1 still 4
        #expect(try metrics.expectGauge(MetricName.subjects).lastValue == 5)
        b.record(0)
        #expect(try metrics.expectGauge(MetricName.subjects).lastValue == 1)
    }

    @Test func labelsKeepTheirOwnSums() throws {
        let metrics = TestMetrics()
        let sums = GaugeSums(factory: metrics)
        OwnerGauge(sum: sums.sum(MetricName.activeClocks, dimensions: [("stage", "dispatch")]), owner: 0).record(2)
        OwnerGauge(sum: sums.sum(MetricName.activeClocks, dimensions: [("stage", "arrival")]), owner: 1).record(5)
        OwnerGauge(sum: sums.sum(MetricName.activeClocks, dimensions: [("stage", "dispatch")]), owner: 1).record(1)
        #expect(try metrics.expectGauge(MetricName.activeClocks, [("stage", "dispatch")]).lastValue == 3)
        #expect(try metrics.expectGauge(MetricName.activeClocks, [("stage", "arrival")]).lastValue == 5)
    }

    /// Two owners' clock counts add up, and one owner's recount (a reload) leaves the other's part.
    @Test func twoOwnersClockGaugesAddUpAndARecountKeepsTheOtherPart() throws {
        let metrics = TestMetrics()
        let sums = GaugeSums(factory: metrics)
        let policy = try DefaultFiles.policy()
        let stage = policy.stages[0].id
        let first = WorkerMetrics(policy: policy, owner: 0, sums: sums)
        let second = WorkerMetrics(policy: policy, owner: 1, sums: sums)
        let running = SubjectClocks(running: [0])
        first.clocksChanged(from: SubjectClocks(), to: running)
        first.clocksChanged(from: SubjectClocks(), to: running)
        second.clocksChanged(from: SubjectClocks(), to: running)
        second.clocksChanged(from: SubjectClocks(), to: SubjectClocks(waiting: [.attributeMissing]))
        #expect(try metrics.expectGauge(MetricName.activeClocks, [("stage", stage)]).lastValue == 3)
        #expect(try metrics.expectGauge(MetricName.unresolvedClocks, [("reason", UnresolvedReason.Code.attributeMissing.rawValue)]).lastValue == 1)
        // The second owner recounts its subjects under the same policy: 4 running, none waiting.
        second.reset(policy: policy, running: [0: 4], waiting: [:])
        #expect(try metrics.expectGauge(MetricName.activeClocks, [("stage", stage)]).lastValue == 6)
        #expect(try metrics.expectGauge(MetricName.unresolvedClocks, [("reason", UnresolvedReason.Code.attributeMissing.rawValue)]).lastValue == 0)
    }
}
