// Why an input event was refused: the field and the reason.

/// A refused input event. `description` reads `field: reason`, e.g.
/// `occurred_at: not an RFC 3339 timestamp: "2026-13-01T00:00"`.
public struct EventRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offending field, or nil when the problem is the whole record.
    public var field: String?
    /// What is wrong.
    public var reason: String

    /// A rejection of one field.
    public init(field: String?, _ reason: String) { self.field = field; self.reason = reason }

    public var description: String { field.map { "\($0): \(reason)" } ?? reason }
}
