// A signed length of time with millisecond resolution, and its policy-file notation.

import Foundation

/// A signed length of time in milliseconds.
public struct TimeSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length in milliseconds.
    public var milliseconds: Int64

    /// Creates a span from milliseconds.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// A span of whole seconds.
    public static func seconds(_ s: Int64) -> TimeSpan { TimeSpan(milliseconds: s * 1000) }
    /// A span of whole minutes.
    public static func minutes(_ m: Int64) -> TimeSpan { .seconds(m * 60) }
    /// A span of whole hours.
    public static func hours(_ h: Int64) -> TimeSpan { .minutes(h * 60) }
    /// A span of whole 24-hour days.
    public static func days(_ d: Int64) -> TimeSpan { .hours(d * 24) }
    /// The empty span.
    public static let zero = TimeSpan(milliseconds: 0)

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// The span in the notation the policy file uses, e.g. `1h30m`, `-15m`, `7d`.
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds.magnitude
        var out = milliseconds < 0 ? "-" : ""
        let units: [(UInt64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s"), (1, "ms")]
        for (size, name) in units where rest >= size {
            out += "\(rest / size)\(name)"
            rest %= size
        }
        return out
    }

    /// Parses the policy notation: one or more `<integer><unit>` groups with units
    /// `d`, `h`, `m`, `s`, `ms`, optionally preceded by `-`. Returns nil when the text is not of that form.
    public static func parse(_ text: String) -> TimeSpan? {
        var chars = Substring(text.trimmingCharacters(in: .whitespaces))
        var negative = false
        if chars.first == "-" { negative = true; chars = chars.dropFirst() }
        guard !chars.isEmpty else { return nil }
        var total: Int64 = 0
        while !chars.isEmpty {
            let digits = chars.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, digits.count <= 12, let value = Int64(digits) else { return nil }
            chars = chars.dropFirst(digits.count)
            let unit = chars.prefix(while: { $0.isASCII && $0.isLetter })
            chars = chars.dropFirst(unit.count)
            let scale: Int64
            switch unit {
            case "d": scale = 86_400_000
            case "h": scale = 3_600_000
            case "m": scale = 60_000
            case "s": scale = 1000
            case "ms": scale = 1
            default: return nil
            }
            let (product, overflow) = value.multipliedReportingOverflow(by: scale)
            guard !overflow else { return nil }
            let (sum, overflow2) = total.addingReportingOverflow(product)
            guard !overflow2 else { return nil }
            total = sum
        }
        return TimeSpan(milliseconds: negative ? -total : total)
    }
}
