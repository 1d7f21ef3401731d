// A parsed JSON document whose top-level object keeps its members as a list.

/// What ``JSONParser/parseDocument(_:)`` read: an object's members, or any other value.
public enum JSONDocument: Sendable, Equatable {
    /// A top-level object.
    case object(JSONMembers)
    /// A top-level value that is not an object.
    case other(JSONValue)
}
