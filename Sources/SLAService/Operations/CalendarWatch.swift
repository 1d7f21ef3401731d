// Calendar coverage against the wall clock: gauges, a warning once a day, the line /readyz shows.

import Foundation
import Logging
import Metrics
import SLACore

/// Watches how far ahead the calendar in force can time working-day clocks, so running off
/// its end is an alarm weeks ahead instead of clocks that silently do not exist.
///
/// Sets `slawatch_calendar_covered_until_seconds`, `…_official_until_seconds` and
/// `slawatch_calendar_provisional_years`, and `slawatch_calendar_warn_days` (so an alert rule
/// compares against each instance's own setting); logs a warning at most once per local day while fewer
/// than `warnDays` days are covered ahead, and once per calendar when it has provisional years.
public final class CalendarWatch: @unchecked Sendable {
    // @unchecked: the mutable state is guarded by `lock`.
    private let lock = NSLock()
    private var calendar: BusinessCalendar
    private let warnDays: Int
    private let logger: Logger
    private var warnedOn: CivilDate?
    private var provisionalNoted: String?
    private let coveredUntil = Gauge(label: MetricName.calendarCoveredUntil)
    private let officialUntil = Gauge(label: MetricName.calendarOfficialUntil)
    private let provisionalYears = Gauge(label: MetricName.calendarProvisionalYears)
    private let warnDaysGauge = Gauge(label: MetricName.calendarWarnDays)

    /// A watch over `calendar`, warning below `warnDays` days of coverage.
    public init(calendar: BusinessCalendar, warnDays: Int, logger: Logger) {
        self.calendar = calendar; self.warnDays = warnDays; self.logger = logger
    }

    /// Puts a reloaded calendar under watch (checked at once).
    public func update(_ calendar: BusinessCalendar, now: Timestamp) {
        lock.withLock { self.calendar = calendar; warnedOn = nil }
        check(now: now)
    }

    /// The coverage now, and its line for people.
    public func coverage(now: Timestamp) -> (coverage: CalendarCoverage, summary: String) {
        let c = lock.withLock { calendar }
        let cov = CalendarCoverage(c, now: now)
        return (cov, cov.summary(c))
    }

    /// Updates the gauges and logs what is due. Returns whether a coverage warning was logged.
    @discardableResult
    public func check(now: Timestamp) -> Bool {
        let (c, today) = lock.withLock { (calendar, calendar.localDate(of: now)) }
        let cov = CalendarCoverage(c, now: now)
        coveredUntil.record(Double(cov.coveredUntil?.milliseconds ?? 0) / 1000)
        officialUntil.record(Double(cov.officialUntil?.milliseconds ?? 0) / 1000)
        provisionalYears.record(cov.provisionalYears.count)
        warnDaysGauge.record(warnDays)
        let summary = cov.summary(c)
        let notes = lock.withLock { () -> (warn: Bool, provisional: Bool) in
            let warn = cov.daysLeft < warnDays && warnedOn != today
            if warn { warnedOn = today }
            let provisional = !cov.provisionalYears.isEmpty && provisionalNoted != c.version
            if provisional { provisionalNoted = c.version }
            return (warn, provisional)
        }
        if notes.provisional {
            logger.warning("the calendar has provisional years: deadlines counted over them may move when the State Council's notice is loaded",
                           metadata: ["years": "\(cov.provisionalYears)", "calendar": "\(c.version)"])
        }
        if notes.warn {
            logger.warning("the calendar covers fewer days ahead than worker.calendar_warn_days: add the next year's notice and reload (SIGHUP)",
                           metadata: ["days_left": "\(cov.daysLeft)", "warn_days": "\(warnDays)", "coverage": "\(summary)"])
        }
        return notes.warn
    }
}
