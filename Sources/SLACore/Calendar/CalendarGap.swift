// The refusal to guess: a working-day count that needs a year the calendar does not cover.

/// A working-day deadline needed a year whose holidays the calendar file does not list.
public struct CalendarGap: Error, Sendable, Equatable, CustomStringConvertible {
    /// The year that is missing.
    public var year: Int

    /// Creates the gap for a year.
    public init(year: Int) { self.year = year }

    public var description: String {
        "the business calendar does not cover \(year); add \(year)'s holidays and adjusted working days to the calendar file"
    }
}
