// A dictionary whose large values are kept behind one pointer each.

/// A table of `Key` to `Value` that stores each value in an immutable heap box of its own, so
/// the hash table's buckets hold one word per value.
///
/// Why: a hash table is kept at most three quarters full, in powers of two, so every bucket —
/// used or not — pays the value's width: about twice the values' bytes. A rollup book's slots
/// are 272 bytes each and there are hundreds of thousands of them; boxed, the empty buckets
/// cost 8 bytes. A change replaces the box, so copies of the table never share a mutation.
struct OutOfLineValues<Key: Hashable & Sendable, Value: Sendable>: Sendable, Sequence {
    fileprivate final class Box: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private var table: [Key: Box] = [:]

    /// An empty table.
    init() {}

    /// Entries held.
    var count: Int { table.count }

    /// The value under `key`; setting nil removes it.
    subscript(key: Key) -> Value? {
        get { table[key]?.value }
        set { table[key] = newValue.map(Box.init) }
    }

    /// Every entry, in the table's order.
    func makeIterator() -> Iterator { Iterator(base: table.makeIterator()) }

    /// Walks the entries of a table.
    struct Iterator: IteratorProtocol {
        fileprivate var base: Dictionary<Key, Box>.Iterator
        mutating func next() -> (key: Key, value: Value)? { base.next().map { ($0.key, $0.value.value) } }
    }
}
