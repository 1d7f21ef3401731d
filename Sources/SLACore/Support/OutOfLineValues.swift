// A dictionary whose large values are kept behind one pointer each.

/// A table of `Key` to `Value` that stores each value in an immutable heap box of its own, so
/// the hash table's buckets hold one word per value.
///
/// Why: a hash table is kept at most three quarters full, in powers of two, so every bucket —
/// used or not — pays the value's width: about twice the values' bytes. A rollup book's slots
/// are 272 bytes each and there are hundreds of thousands of them; boxed, the empty buckets
/// cost 8 bytes. A change replaces the box unless this table holds the only reference to it
/// (``modify(_:_:)``), so copies of the table never share a mutation.
struct OutOfLineValues<Key: Hashable & Sendable, Value: Sendable>: Sendable, Sequence {
    // @unchecked: `value` changes only through `modify`, on a box no other table references.
    fileprivate final class Box: @unchecked Sendable {
        var value: Value
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

    /// Changes the value under `key` in its box when no copy of this table shares the box (one
    /// lookup, no allocation), in a new box otherwise; false, and `body` is not called, when
    /// nothing is held under `key`. (A take rewrote every slot it wrote in a new box: one
    /// allocation per slot.)
    @discardableResult
    mutating func modify(_ key: Key, _ body: (inout Value) -> Void) -> Bool {
        guard let i = table.index(forKey: key) else { return false }
        if isKnownUniquelyReferenced(&table.values[i]) {
            body(&table.values[i].value)
        } else {
            var v = table.values[i].value
            body(&v)
            table.values[i] = Box(v)
        }
        return true
    }

    /// Every entry, in the table's order.
    func makeIterator() -> Iterator { Iterator(base: table.makeIterator()) }

    /// Walks the entries of a table.
    struct Iterator: IteratorProtocol {
        fileprivate var base: Dictionary<Key, Box>.Iterator
        mutating func next() -> (key: Key, value: Value)? { base.next().map { ($0.key, $0.value.value) } }
    }
}
