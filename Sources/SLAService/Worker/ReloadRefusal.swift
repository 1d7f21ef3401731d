// Why new policy or calendar files were not put in force.

/// A reload that was refused; the running files stay in force.
public struct ReloadRefusal: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var reason: String

    /// A refusal with its reason.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
