// Why a stage that should run cannot be timed: a stable code, what is missing, and a text.

/// What keeps a stage cycle from being timed (`sla.unresolved`). The cycle waits, untimed,
/// and starts from its original start once the missing piece arrives.
public struct UnresolvedReason: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable codes, for dashboards and alert rules.
    public enum Code: String, Sendable, CaseIterable {
        /// A working-day limit needs a year the business calendar does not cover.
        case calendarNotCovered = "calendar_not_covered"
        /// The limit depends on an attribute no event of the subject carried yet.
        case attributeMissing = "attribute_missing"
        /// The attribute has a value the policy lists no limit for.
        case attributeUnknown = "attribute_unknown"
    }

    /// The stable code.
    public var code: Code
    /// What is missing: `calendar:2027`, `region`, `customer_class:hv_dual`, `start_at`.
    public var missing: String
    /// For people.
    public var text: String

    /// A reason from its parts.
    public init(_ code: Code, missing: String, _ text: String) { self.code = code; self.missing = missing; self.text = text }

    public var description: String { "\(code.rawValue) (\(missing)): \(text)" }
}
