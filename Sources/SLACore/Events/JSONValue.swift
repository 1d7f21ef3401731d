// A parsed JSON value, as the event decoder sees it.

/// A JSON value. Numbers keep their text so that integers are read exactly.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// A short description of the value's type and, for scalars, its text: used in error reasons.
    public var sketch: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s): return JSONText.quoted(s.count > 60 ? String(s.prefix(60)) + "…" : s)
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
