// Working days in a time zone: weekends, public holidays and adjusted working days (调休).

import Foundation

/// The business calendar working-day SLAs run on.
///
/// "Within N working days" is read as in the service rules: the day of acceptance is not
/// counted, counting starts the next working day, and the deadline is the end of the N-th
/// working day (24:00 local, or the close of business when one is set).
public struct BusinessCalendar: Sendable {
    /// The zone local dates are taken in.
    public let zone: TimeZone
    /// ISO weekdays (1 = Monday … 7 = Sunday) that are normally worked.
    public let workingWeekdays: Set<Int>
    /// Days off that would otherwise be worked (and days off inside holiday runs).
    public let holidays: Set<CivilDate>
    /// Weekend days declared working days (调休).
    public let adjustedWorkdays: Set<CivilDate>
    /// Years whose holidays the calendar lists; other years are refused, never guessed.
    public let coveredYears: Set<Int>
    /// Seconds after local midnight at which a working day ends; nil for 24:00.
    public let closeOfBusiness: Int?

    /// Creates a calendar. Use ``CalendarLoader`` to read one from a file.
    public init(zone: TimeZone, workingWeekdays: Set<Int> = [1, 2, 3, 4, 5], holidays: Set<CivilDate> = [],
                adjustedWorkdays: Set<CivilDate> = [], coveredYears: Set<Int>, closeOfBusiness: Int? = nil) {
        self.zone = zone; self.workingWeekdays = workingWeekdays; self.holidays = holidays
        self.adjustedWorkdays = adjustedWorkdays; self.coveredYears = coveredYears
        self.closeOfBusiness = closeOfBusiness
    }

    /// The zone's UTC offset at an instant, in seconds.
    public func offsetSeconds(at t: Timestamp) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t.milliseconds) / 1000))
    }

    /// The local date of an instant.
    public func localDate(of t: Timestamp) -> CivilDate {
        let local = t.milliseconds + Int64(offsetSeconds(at: t)) * 1000
        let days = local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000
        return CivilDate(daysSinceEpoch: Int(days))
    }

    /// The instant of a local wall-clock time (seconds after midnight; 86 400 means the next midnight).
    public func instant(of date: CivilDate, secondsAfterMidnight s: Int) -> Timestamp {
        let wall = (Int64(date.daysSinceEpoch) * 86_400 + Int64(s)) * 1000
        // The offset depends on the instant we are looking for: two rounds settle it,
        // also across a daylight-saving change in zones that have one.
        var guess = Timestamp(milliseconds: wall - Int64(offsetSeconds(at: Timestamp(milliseconds: wall))) * 1000)
        guess = Timestamp(milliseconds: wall - Int64(offsetSeconds(at: guess)) * 1000)
        return guess
    }

    /// Whether a date is a working day; refuses dates in years the calendar does not cover.
    public func isWorkingDay(_ d: CivilDate) throws(CalendarGap) -> Bool {
        guard coveredYears.contains(d.year) else { throw CalendarGap(year: d.year) }
        if adjustedWorkdays.contains(d) { return true }
        if holidays.contains(d) { return false }
        return workingWeekdays.contains(d.isoWeekday)
    }

    /// The end of the `n`-th working day after the local date of `start` (the default reading).
    public func deadline(workingDays n: Int, after start: Timestamp) throws(CalendarGap) -> Timestamp {
        precondition(n >= 1, "a working-day limit is at least one day")
        var d = localDate(of: start)
        var counted = 0
        while counted < n {
            d = d.adding(days: 1)
            if try isWorkingDay(d) { counted += 1 }
        }
        return instant(of: d, secondsAfterMidnight: closeOfBusiness ?? 86_400)
    }

    /// RFC 3339 text of an instant at this zone's offset.
    public func format(_ t: Timestamp) -> String { RFC3339.format(t, offsetSeconds: offsetSeconds(at: t)) }
}
