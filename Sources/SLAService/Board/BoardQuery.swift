// What a request to /board or /api/clocks asks for, checked.

import SLACore

/// The parameters of `/board` and `/api/clocks`: language, unit, which clocks and how far
/// ahead "due" looks. Every bad value is refused with a reason (HTTP 400), none is guessed.
public struct BoardQuery: Sendable, Equatable {
    /// Which clocks `/api/clocks` lists.
    public enum State: String, Sendable, CaseIterable { case overdue, due, unresolved }

    public var language: BoardLabels.Language = .zh
    /// Only this party's clocks (the unit charged), or all.
    public var unit: String?
    public var state: State = .overdue
    /// How far ahead a clock counts as due (default 30 min, at most 7 days).
    public var within: TimeSpan = .minutes(30)
    /// At most this many clocks per list (default 500, at most 10 000).
    public var limit = 500

    /// Reads the query parameters; unknown parameters are refused so a typo is not silently ignored.
    public init(_ parameters: [(String, String)]) throws(BoardQueryError) {
        var seen = Set<String>()
        for (name, value) in parameters {
            guard seen.insert(name).inserted else { throw BoardQueryError("\(name) is given twice") }
            switch name {
            case "lang":
                guard let l = BoardLabels.Language(rawValue: value) else { throw BoardQueryError("lang must be zh or en, not \"\(value)\"") }
                language = l
            case "unit":
                guard !value.isEmpty, value.utf8.count <= EventLimits.name else { throw BoardQueryError("unit must be 1 to \(EventLimits.name) bytes") }
                unit = value
            case "state":
                guard let s = State(rawValue: value) else { throw BoardQueryError("state must be overdue, due or unresolved, not \"\(value)\"") }
                state = s
            case "within":
                guard let t = TimeSpan.parse(value), t.milliseconds > 0, t <= .days(7) else {
                    throw BoardQueryError("within must be a duration from 1s to 7d (e.g. 30m, 2h), not \"\(value)\"")
                }
                within = t
            case "limit":
                guard let n = Int(value), (1...10_000).contains(n) else { throw BoardQueryError("limit must be 1 to 10000, not \"\(value)\"") }
                limit = n
            case "fragment":
                continue  // the page's own refresh asks for the body only
            default:
                throw BoardQueryError("unknown parameter \"\(name)\" (lang, unit, state, within, limit)")
            }
        }
    }
}

/// A refused board request: the reason, shown to whoever sent it.
public struct BoardQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ reason: String) { description = reason }
}
