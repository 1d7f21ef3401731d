// One day a working-day limit walks, and what the calendar makes of it.

/// A calendar day walked when counting a working-day limit, for explaining a deadline.
public struct CalendarDay: Sendable, Equatable {
    /// What kind of day it is.
    public enum Kind: String, Sendable {
        /// An ordinary working weekday.
        case working
        /// A Saturday or Sunday (a weekday off in the calendar's week).
        case weekend
        /// A public holiday of the State Council's notice (or the provisional statutory list).
        case holiday
        /// A weekend day declared a working day (调休).
        case adjustedWorkingDay = "adjusted_working_day"
    }

    /// The local date.
    public var date: CivilDate
    /// Working, weekend, holiday or adjusted working day.
    public var kind: Kind
    /// Its number among the counted working days (1 … N); nil for a day off.
    public var counted: Int?
    /// Whether its year is provisional (no official notice loaded yet).
    public var provisional: Bool
}

extension BusinessCalendar {
    /// Every day `count(workingDays:after:)` walks for a limit of `n` after `start`, in order.
    public func walk(workingDays n: Int, after start: Timestamp) throws(CalendarGap) -> [CalendarDay] {
        var d = localDate(of: start)
        var out: [CalendarDay] = []
        var counted = 0
        while counted < n {
            d = d.adding(days: 1)
            let working = try isWorkingDay(d)
            let kind: CalendarDay.Kind
            if adjustedWorkdays.contains(d) { kind = .adjustedWorkingDay }
            else if holidays.contains(d) { kind = .holiday }
            else { kind = working ? .working : .weekend }
            if working { counted += 1 }
            out.append(CalendarDay(date: d, kind: kind, counted: working ? counted : nil, provisional: provisionalYears.contains(d.year)))
        }
        return out
    }
}
