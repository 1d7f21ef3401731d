// How long a stage may take: a clock duration or a count of working days.

import Foundation

/// A stage limit: minutes on the clock, or working days on the business calendar.
public enum SLAAmount: Sendable, Hashable, CustomStringConvertible {
    /// A clock duration (`45m`).
    case span(TimeSpan)
    /// Working days, counted per the calendar's default reading (`5wd`).
    case workingDays(Int)

    /// Parses `45m`, `1h30m`, `7d` or `5wd`.
    public static func parse(_ text: String) -> SLAAmount? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("wd") {
            guard let n = Int(t.dropLast(2)), n >= 1, n <= 366 else { return nil }
            return .workingDays(n)
        }
        // At most a year: deadlines of accepted instants must stay writable (``EventLimits``).
        guard let s = TimeSpan.parse(t), s > .zero, s <= EventLimits.longestSpan else { return nil }
        return .span(s)
    }

    public var description: String {
        switch self {
        case .span(let s): return s.description
        case .workingDays(let n): return "\(n)wd"
        }
    }
}
