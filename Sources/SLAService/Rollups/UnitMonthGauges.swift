// Each unit's month so far as Prometheus gauges, exported by the instance that holds its rollups.

import Metrics
import SLACore

/// The current month of every unit whose rollups this instance holds, as gauges: verdicts met
/// and missed, overdues that stand, and the score so far, labelled `unit` and `month`.
///
/// A unit's outcomes meet on one partition of the outcomes topic, so exactly one instance
/// exports its gauges and `sum by (unit)` over the group is exact. When the partition moves,
/// its gauges are removed here before the next owner exports them; a month's gauges go when
/// the next month begins. They come from the scorecards the rollup book keeps (SLACore), read
/// whenever one changes, and from the whole book when a partition is restored.
final class UnitMonthGauges {
    /// One unit's gauges for one month.
    private struct Held {
        var month: String
        var met: Gauge, missed: Gauge, overdue: Gauge, score: Gauge
        func destroy() { [met, missed, overdue, score].forEach { $0.destroy() } }
    }

    private let calendar: BusinessCalendar
    private let factory: MetricsFactory
    private var held: [Int32: [String: Held]] = [:]  // partition → unit → gauges

    /// Gauges made by `factory` (the process's backend unless a test gives its own).
    init(calendar: BusinessCalendar, factory: MetricsFactory = MetricsSystem.factory) {
        self.calendar = calendar
        self.factory = factory
    }

    /// Units exported now, over every partition.
    var count: Int { held.values.reduce(0) { $0 + $1.count } }

    /// Sets the gauges of the units among `cards` (of partition `p`) for the month holding
    /// `now`; removes those of an earlier month.
    func update(partition p: Int32, cards: [Scorecard], now: Timestamp) {
        let month = RollupWindow.of(now, .month, calendar: calendar).label
        var units = held[p] ?? [:]
        for (unit, h) in units where h.month != month {
            h.destroy()
            units[unit] = nil
        }
        for card in cards where card.view == .unit && card.month.label == month {
            let h = units[card.owner] ?? gauges(unit: card.owner, month: month)
            h.met.record(card.met)
            h.missed.record(card.missed)
            h.overdue.record(card.overdue)
            h.score.record(Double(card.score) / 1000)
            units[card.owner] = h
        }
        held[p] = units
    }

    /// Removes the gauges of partition `p` (it was handed over).
    func drop(partition p: Int32) {
        held[p]?.values.forEach { $0.destroy() }
        held[p] = nil
    }

    private func gauges(unit: String, month: String) -> Held {
        let d = [("unit", unit), ("month", month)]
        return Held(month: month,
                    met: Gauge(label: MetricName.unitMonthVerdicts, dimensions: d + [("verdict", "met")], factory: factory),
                    missed: Gauge(label: MetricName.unitMonthVerdicts, dimensions: d + [("verdict", "missed")], factory: factory),
                    overdue: Gauge(label: MetricName.unitMonthOverdue, dimensions: d, factory: factory),
                    score: Gauge(label: MetricName.unitMonthScore, dimensions: d, factory: factory))
    }
}
