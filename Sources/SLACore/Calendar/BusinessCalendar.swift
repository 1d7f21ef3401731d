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
    /// Seconds after local midnight at which a working day's working time begins (0 when not set).
    /// Only warnings use it: they fall inside working time (see ``instant(atWorkingShare:workingDays:after:)``).
    public let openOfBusiness: Int
    /// Covered years whose days are provisional: weekends plus the statutory holidays, before the
    /// State Council's notice for the year is out (no adjusted working days yet).
    public let provisionalYears: Set<Int>
    /// The operator's name for this calendar (the file's `version`), carried by `sla.started`.
    public let version: String
    /// A stable hash of the file's text: two instances with the same hash run the same calendar.
    public let contentHash: UInt64

    /// Creates a calendar. Use ``CalendarLoader`` to read one from a file.
    public init(zone: TimeZone, workingWeekdays: Set<Int> = [1, 2, 3, 4, 5], holidays: Set<CivilDate> = [],
                adjustedWorkdays: Set<CivilDate> = [], coveredYears: Set<Int>, closeOfBusiness: Int? = nil,
                openOfBusiness: Int = 0, provisionalYears: Set<Int> = [], version: String = "unversioned", contentHash: UInt64 = 0) {
        self.zone = zone; self.workingWeekdays = workingWeekdays; self.holidays = holidays
        self.adjustedWorkdays = adjustedWorkdays; self.coveredYears = coveredYears
        self.closeOfBusiness = closeOfBusiness; self.openOfBusiness = openOfBusiness
        self.provisionalYears = provisionalYears.intersection(coveredYears)
        self.version = version; self.contentHash = contentHash
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
        try count(workingDays: n, after: start).deadline
    }

    /// The working days counted for a limit of `n` after `start`, and the deadline they give.
    public func count(workingDays n: Int, after start: Timestamp) throws(CalendarGap) -> WorkingDayCount {
        precondition(n >= 1, "a working-day limit is at least one day")
        var d = localDate(of: start)
        var days: [CivilDate] = []
        days.reserveCapacity(n)
        var provisional = false
        while days.count < n {
            d = d.adding(days: 1)
            // Every day walked, counted or not, decides the deadline: a provisional holiday skipped
            // moves it as much as a provisional working day counted.
            if try isWorkingDay(d) { days.append(d) }
            if provisionalYears.contains(d.year) { provisional = true }
        }
        return WorkingDayCount(days: days, deadline: instant(of: d, secondsAfterMidnight: closeOfBusiness ?? 86_400),
                               provisional: provisional)
    }

    /// The instant at which `share` of a limit of `n` working days after `start` is used, counted
    /// in working time: the counted days' hours from ``openOfBusiness`` to the close. So a warning
    /// never falls on a day off, nor at night between two working days; a share that ends a day
    /// exactly is that day's close.
    public func instant(atWorkingShare share: Double, workingDays n: Int, after start: Timestamp) throws(CalendarGap) -> Timestamp {
        instant(atWorkingShare: share, of: try count(workingDays: n, after: start), start: start)
    }

    /// ``instant(atWorkingShare:workingDays:after:)`` for days already counted.
    public func instant(atWorkingShare share: Double, of counted: WorkingDayCount, start: Timestamp) -> Timestamp {
        let n = counted.days.count
        let close = closeOfBusiness ?? 86_400
        let day = Int64(max(1, close - openOfBusiness)) * 1000
        let used = Int64((Double(day) * Double(n) * min(max(share, 0), 1)).rounded(.down))
        let (whole, rest) = used.quotientAndRemainder(dividingBy: day)
        if rest == 0 {
            guard whole > 0 else { return start }
            return instant(of: counted.days[Int(whole) - 1], secondsAfterMidnight: close)
        }
        return instant(of: counted.days[Int(whole)], secondsAfterMidnight: openOfBusiness).adding(TimeSpan(milliseconds: rest))
    }

    /// The end of the last local day of the run of covered years that holds `date`; nil when
    /// `date`'s year is not covered. Provisional years count as covered.
    public func coveredUntil(from date: CivilDate) -> Timestamp? {
        endOfRun(from: date.year) { coveredYears.contains($0) }
    }

    /// The end of the last day of the run of officially published years that holds `date`; nil
    /// when `date`'s year is not covered or is provisional.
    public func officialUntil(from date: CivilDate) -> Timestamp? {
        endOfRun(from: date.year) { coveredYears.contains($0) && !provisionalYears.contains($0) }
    }

    /// The end of Dec 31 of the last year of the run of consecutive years, from `year` on, that `holds`.
    private func endOfRun(from year: Int, while holds: (Int) -> Bool) -> Timestamp? {
        guard holds(year) else { return nil }
        var last = year
        while holds(last + 1) { last += 1 }
        return instant(of: CivilDate(year: last, month: 12, day: 31)!, secondsAfterMidnight: 86_400)
    }

    /// RFC 3339 text of an instant at this zone's offset.
    public func format(_ t: Timestamp) -> String { RFC3339.format(t, offsetSeconds: offsetSeconds(at: t)) }
}
