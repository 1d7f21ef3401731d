// The members of one JSON object in document order, looked up by name.

/// A JSON object's members as parsed, in order. A name given twice reads as its last value,
/// as in the dictionary form (``JSONValue/object(_:)``).
///
/// Events have a dozen short member names; comparing them (small strings compare as two
/// machine words) beats hashing every name into a table that is read once.
public struct JSONMembers: Sendable, Equatable {
    /// The names, in document order.
    public private(set) var names: [String] = []
    /// The values, parallel to ``names``.
    public private(set) var values: [JSONValue] = []

    /// No members.
    public init() {
        names.reserveCapacity(16)
        values.reserveCapacity(16)
    }

    /// How many members, repeats included.
    public var count: Int { names.count }

    /// Adds a member after the others.
    public mutating func append(_ name: String, _ value: JSONValue) {
        names.append(name)
        values.append(value)
    }

    /// The last value given for `name`, nil when there is none.
    public subscript(name: String) -> JSONValue? {
        var k = names.count
        while k > 0 {
            k -= 1
            if names[k] == name { return values[k] }
        }
        return nil
    }
}
