// Which policy and calendar an instance runs, as Prometheus info gauges.

import Foundation
import Metrics
import SLACore

/// `slawatch_policy_info{version}` and `slawatch_calendar_info{version}`, 1 for the files in
/// force: a group whose instances run different files shows two series.
public final class FilesInfoGauges: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var policy: Gauge?
    private var calendar: Gauge?

    /// Gauges not showing anything yet.
    public init() {}

    /// Shows these files (and drops the series of the ones before).
    public func show(_ files: FilesIdentity) {
        lock.withLock {
            policy?.destroy(); calendar?.destroy()
            let p = Gauge(label: MetricName.policyInfo, dimensions: [("version", files.policyVersion)])
            let c = Gauge(label: MetricName.calendarInfo, dimensions: [("version", files.calendarVersion)])
            p.record(1); c.record(1)
            policy = p; calendar = c
        }
    }
}
