// One Prometheus gauge that several owner queues contribute to.

import Foundation
import Metrics

/// A gauge whose exported value is the sum of each owner queue's part.
///
/// A worker with several owners (``SubjectOwners``) counts its subjects, timers and clocks per
/// owner, without locks, as one owner did; each owner then records its own count here and the
/// gauge shows the instance's total. Recording an owner's part replaces that part only.
final class GaugeSum: @unchecked Sendable {
    // @unchecked: `parts` and `total` are guarded by `lock`; the gauge handle is thread-safe.
    private let gauge: Gauge
    private let lock = NSLock()
    private var parts: [Int: Double] = [:]
    /// The sum of `parts`, kept as they change: clock gauges move on every subject's step.
    private var total = 0.0

    init(_ gauge: Gauge) { self.gauge = gauge }

    /// Sets `owner`'s part and exports the sum of all parts.
    func record(_ value: Double, owner: Int) {
        lock.withLock {
            total += value - (parts.updateValue(value, forKey: owner) ?? 0)
            gauge.record(total)
        }
    }
}

/// The gauge sums of one worker, one per metric name and labels, shared by its owners.
final class GaugeSums: @unchecked Sendable {
    // @unchecked: `sums` is guarded by `lock`.
    private let lock = NSLock()
    private var sums: [String: GaugeSum] = [:]
    private let factory: MetricsFactory

    /// Sums whose gauges `factory` makes (the process's backend unless a test gives its own).
    init(factory: MetricsFactory = MetricsSystem.factory) { self.factory = factory }

    /// The sum for `label` and `dimensions`, made on first use.
    func sum(_ label: String, dimensions: [(String, String)] = []) -> GaugeSum {
        let key = ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: "\u{1}")
        return lock.withLock {
            if let s = sums[key] { return s }
            let s = GaugeSum(Gauge(label: label, dimensions: dimensions, factory: factory))
            sums[key] = s
            return s
        }
    }
}

/// One owner's handle on a ``GaugeSum``: what the owner records is its part.
struct OwnerGauge: Sendable {
    let sum: GaugeSum
    let owner: Int

    /// Records this owner's part.
    func record<N: BinaryInteger>(_ value: N) { sum.record(Double(value), owner: owner) }
    /// Records this owner's part.
    func record(_ value: Double) { sum.record(value, owner: owner) }
}
