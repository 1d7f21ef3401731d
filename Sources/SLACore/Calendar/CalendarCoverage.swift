// How far ahead a business calendar can time working-day clocks, seen from one instant.

/// The calendar's coverage from `now`: the end of what it covers, of what is official, and
/// the years it only has provisionally. `slawatch calendar check`, the daemon's gauges and
/// `/readyz` all read this.
public struct CalendarCoverage: Sendable, Equatable {
    /// End of the last covered day of the run of years from `now`'s year; nil when `now`'s year
    /// itself is not covered.
    public var coveredUntil: Timestamp?
    /// The same for officially published years only.
    public var officialUntil: Timestamp?
    /// Whole days from `now` to ``coveredUntil`` (0 when not covered).
    public var daysLeft: Int
    /// Covered years that are provisional, ascending.
    public var provisionalYears: [Int]
    /// The calendar's version.
    public var version: String

    /// The coverage of `calendar` seen at `now`.
    public init(_ calendar: BusinessCalendar, now: Timestamp) {
        let today = calendar.localDate(of: now)
        coveredUntil = calendar.coveredUntil(from: today)
        officialUntil = calendar.officialUntil(from: today)
        daysLeft = coveredUntil.map { max(0, Int(($0.milliseconds - now.milliseconds) / 86_400_000)) } ?? 0
        provisionalYears = calendar.provisionalYears.sorted()
        version = calendar.version
    }

    /// One line for people, e.g. `calendar cn-2026.12 covers until 2027-12-31 (395 days; official
    /// until 2026-12-31; provisional: 2027)`.
    public func summary(_ calendar: BusinessCalendar) -> String {
        func day(_ t: Timestamp) -> String { calendar.localDate(of: t.adding(TimeSpan(milliseconds: -1))).description }
        guard let coveredUntil else { return "calendar \(version) does not cover today: working-day clocks cannot be timed" }
        var s = "calendar \(version) covers until \(day(coveredUntil)) (\(daysLeft) days"
        s += officialUntil.map { "; official until \(day($0))" } ?? "; today is provisional"
        if !provisionalYears.isEmpty { s += "; provisional: " + provisionalYears.map(String.init).joined(separator: ", ") }
        return s + ")"
    }
}
