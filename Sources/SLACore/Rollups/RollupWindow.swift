// The hour, day, month, quarter or year (in the policy's time zone) an outcome is counted in.

/// How long a rollup window is.
public enum RollupGrain: String, Sendable, Hashable, CaseIterable, Comparable {
    case hour, day, month
    /// Contract v1.4: the quarter (一季度 … 四季度) and the calendar year, for quarterly and yearly assessment.
    case quarter, year

    public static func < (a: RollupGrain, b: RollupGrain) -> Bool { a.order < b.order }
    private var order: Int { switch self { case .hour: 0; case .day: 1; case .month: 2; case .quarter: 3; case .year: 4 } }
}

/// One local hour, day, month, quarter or year: `2026-11-22T08`, `2026-11-22`, `2026-11`, `2026-Q4`, `2026`.
public struct RollupWindow: Sendable, Hashable, Comparable {
    public var grain: RollupGrain
    /// The local name of the window, as above; sorts in time order within a grain.
    public var label: String
    /// First instant of the window.
    public var start: Timestamp
    /// First instant after it.
    public var end: Timestamp

    /// Creates a window from its parts (used when reading stored state).
    public init(grain: RollupGrain, label: String, start: Timestamp, end: Timestamp) {
        self.grain = grain; self.label = label; self.start = start; self.end = end
    }

    /// The window of a grain that holds an instant, in the calendar's zone.
    public static func of(_ t: Timestamp, _ grain: RollupGrain, calendar: BusinessCalendar) -> RollupWindow {
        let date = calendar.localDate(of: t)
        switch grain {
        case .hour:
            let local = t.milliseconds + Int64(calendar.offsetSeconds(at: t)) * 1000
            let hour = Int((local - Int64(date.daysSinceEpoch) * 86_400_000) / 3_600_000)
            return RollupWindow(grain: .hour, label: "\(date)T\(ASCIIDigits.padded(hour, 2))",
                                start: calendar.instant(of: date, secondsAfterMidnight: hour * 3600),
                                end: calendar.instant(of: date, secondsAfterMidnight: (hour + 1) * 3600))
        case .day:
            return RollupWindow(grain: .day, label: "\(date)", start: calendar.instant(of: date, secondsAfterMidnight: 0),
                                end: calendar.instant(of: date.adding(days: 1), secondsAfterMidnight: 0))
        case .month:
            let first = CivilDate(year: date.year, month: date.month, day: 1)!
            let next = first.adding(days: CivilDate.daysIn(month: date.month, year: date.year))
            return RollupWindow(grain: .month, label: String(String(describing: first).prefix(7)),
                                start: calendar.instant(of: first, secondsAfterMidnight: 0),
                                end: calendar.instant(of: next, secondsAfterMidnight: 0))
        case .quarter:
            let q = (date.month - 1) / 3
            return span(.quarter, label: "\(date.year)-Q\(q + 1)", from: CivilDate(year: date.year, month: q * 3 + 1, day: 1)!,
                        months: 3, calendar: calendar)
        case .year:
            return span(.year, label: String(date.year), from: CivilDate(year: date.year, month: 1, day: 1)!, months: 12, calendar: calendar)
        }
    }

    /// The window of whole months starting on `first`.
    private static func span(_ grain: RollupGrain, label: String, from first: CivilDate, months: Int, calendar: BusinessCalendar) -> RollupWindow {
        var next = first
        for _ in 0..<months { next = next.adding(days: CivilDate.daysIn(month: next.month, year: next.year)) }
        return RollupWindow(grain: grain, label: label, start: calendar.instant(of: first, secondsAfterMidnight: 0),
                            end: calendar.instant(of: next, secondsAfterMidnight: 0))
    }

    public static func < (a: RollupWindow, b: RollupWindow) -> Bool { (a.grain, a.start) < (b.grain, b.start) }
}
