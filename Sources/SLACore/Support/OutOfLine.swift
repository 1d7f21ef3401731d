// Fields most values leave empty, kept behind one pointer so they cost 8 bytes where empty.

/// A value stored out of line: absent (`nil`) costs one word and no allocation; present, one
/// immutable heap box, replaced whole on every change (so copies never share a mutation).
///
/// Why: the tracker keeps millions of ``SubjectState``s and ``Fact``s. Fields that few of them
/// carry (links, refusals, outage instants, complaint details) made every one of them pay their
/// width inline, and the subjects table pays its values' width about twice over (a hash table
/// is kept at most three quarters full, in powers of two). Writes to these fields are rare.
struct OutOfLine<Value: Equatable & Sendable>: Equatable, Sendable {
    private final class Box: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box?

    /// Nothing stored.
    init() {}

    /// The stored value, or nil.
    var value: Value? {
        get { box?.value }
        set { box = newValue.map(Box.init) }
    }

    static func == (a: OutOfLine, b: OutOfLine) -> Bool { a.box === b.box || a.box?.value == b.box?.value }
}
