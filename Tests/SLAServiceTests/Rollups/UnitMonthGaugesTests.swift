import MetricsTestKit
@testable import SLACore
@testable import SLAService
import Testing

/// The per-unit month gauges: set from unit scorecards of this month, gone when the partition
/// is handed over or the month ends, so one instance exports each unit.
@Suite struct UnitMonthGaugesTests {
    let calendar = try! DefaultFiles.calendar()
    // 2026-12-15 10:00 in Shanghai.
    let now = Timestamp(milliseconds: 1_797_300_000_000)

    func card(_ owner: String, month: String, met: Int64, missed: Int64, overdue: Int64, deductions: Int64, view: RollupView = .unit) -> Scorecard {
        Scorecard(month: RollupWindow(grain: .month, label: month, start: now, end: now), owner: owner, view: view,
                  met: met, missed: missed, overdue: overdue, deductions: deductions, revision: 1, assessBelow: 70_000)
    }

    func value(_ m: TestMetrics, _ label: String, _ d: [(String, String)]) throws -> Double? {
        try m.expectGauge(label, d).lastValue
    }

    @Test func aUnitsMonthIsExportedAndGoesWithItsPartition() throws {
        #expect(RollupWindow.of(now, .month, calendar: calendar).label == "2026-12")
        let metrics = TestMetrics()
        let gauges = UnitMonthGauges(calendar: calendar, factory: metrics)
        gauges.update(partition: 0, cards: [card("U1", month: "2026-12", met: 7, missed: 2, overdue: 3, deductions: 12_500),
                                            card("U9", month: "2026-11", met: 1, missed: 0, overdue: 0, deductions: 0),
                                            card("agent-1", month: "2026-12", met: 1, missed: 0, overdue: 0, deductions: 0, view: .agent)],
                      now: now)
        gauges.update(partition: 1, cards: [card("U2", month: "2026-12", met: 4, missed: 0, overdue: 0, deductions: 0)], now: now)
        let u1 = [("unit", "U1"), ("month", "2026-12")]
        #expect(try value(metrics, MetricName.unitMonthVerdicts, u1 + [("verdict", "met")]) == 7)
        #expect(try value(metrics, MetricName.unitMonthVerdicts, u1 + [("verdict", "missed")]) == 2)
        #expect(try value(metrics, MetricName.unitMonthOverdue, u1) == 3)
        #expect(try value(metrics, MetricName.unitMonthScore, u1) == 87.5)   // 100 − 12.5 points
        // Last month's card and agents' cards are not exported.
        #expect(gauges.count == 2)
        #expect(throws: (any Error).self) { try metrics.expectGauge(MetricName.unitMonthOverdue, [("unit", "U9"), ("month", "2026-11")]) }
        #expect(throws: (any Error).self) { try metrics.expectGauge(MetricName.unitMonthOverdue, [("unit", "agent-1"), ("month", "2026-12")]) }

        // A later card moves the figures; partition 0 handed over takes U1 away, not U2.
        gauges.update(partition: 0, cards: [card("U1", month: "2026-12", met: 8, missed: 2, overdue: 3, deductions: 12_500)], now: now)
        #expect(try value(metrics, MetricName.unitMonthVerdicts, u1 + [("verdict", "met")]) == 8)
        gauges.drop(partition: 0)
        #expect(throws: (any Error).self) { try metrics.expectGauge(MetricName.unitMonthOverdue, u1) }
        #expect(try value(metrics, MetricName.unitMonthOverdue, [("unit", "U2"), ("month", "2026-12")]) == 0)
        #expect(gauges.count == 1)
    }

    @Test func aNewMonthRemovesTheLastOnesGauges() throws {
        let metrics = TestMetrics()
        let gauges = UnitMonthGauges(calendar: calendar, factory: metrics)
        gauges.update(partition: 0, cards: [card("U1", month: "2026-12", met: 1, missed: 0, overdue: 0, deductions: 0)], now: now)
        // 2027-01-01 00:30 in Shanghai: December's gauges go at the first update of January.
        let january = Timestamp(milliseconds: 1_798_734_600_000)
        #expect(RollupWindow.of(january, .month, calendar: calendar).label == "2027-01")
        gauges.update(partition: 0, cards: [], now: january)
        #expect(throws: (any Error).self) { try metrics.expectGauge(MetricName.unitMonthOverdue, [("unit", "U1"), ("month", "2026-12")]) }
        #expect(gauges.count == 0)
    }
}
