// An instant on the event-time axis, in milliseconds since the Unix epoch.

/// An instant in event time: milliseconds since 1970-01-01T00:00:00Z.
///
/// SLACore never reads the wall clock; every instant comes from an event or from the caller's `now`.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch (UTC).
    public var milliseconds: Int64

    /// Creates an instant from milliseconds since the Unix epoch.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Creates an instant from whole seconds since the Unix epoch.
    public init(seconds: Int64) { self.milliseconds = seconds * 1000 }

    /// This instant moved by a span (which may be negative).
    public func adding(_ span: TimeSpan) -> Timestamp {
        Timestamp(milliseconds: milliseconds + span.milliseconds)
    }

    /// The span from `other` to this instant (negative when `other` is later).
    public func since(_ other: Timestamp) -> TimeSpan {
        TimeSpan(milliseconds: milliseconds - other.milliseconds)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// RFC 3339 in UTC, for diagnostics.
    public var description: String { RFC3339.format(self, offsetSeconds: 0) }
}
