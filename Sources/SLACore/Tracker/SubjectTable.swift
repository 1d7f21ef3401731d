// The per-subject tables' storage: ids and values in one dense array, found through a small index.

/// A table from subject id to a value that numbers its entries: a subject keeps one entry
/// number from its insertion to its removal, and a removed entry's number is given out again.
///
/// Why not a `Dictionary`: a dictionary keeps its keys and its values in arrays of as many
/// buckets as it has room for — at most three quarters full, in powers of two, so two to four
/// per entry — and touches all of them. The tracker's table alone was about 150 bytes per
/// ticket at 1 000 000. Here only the index has free buckets, 4 bytes each, and the entries are
/// dense. The entry number is also what a timing wheel carries as its payload (``SubjectSlots``),
/// so that table needs no second array to find the subject a timer belongs to.
struct SubjectTable<Value> {
    /// One held subject.
    struct Entry {
        // The id's two parts around the value: a `SubjectID` pads its 1-byte type to 8 bytes,
        // while after the value the type takes the value's spare tail (a tracker entry is 56
        // bytes, not 64).
        private var key: String
        var value: Value
        private var type: SubjectType

        init(id: SubjectID, value: Value) { key = id.id; self.value = value; type = id.type }

        /// The subject.
        var id: SubjectID { SubjectID(type, key) }

        /// Whether this is the entry of `id`.
        func holds(_ id: SubjectID) -> Bool { type == id.type && key == id.id }
    }

    /// Entry `n` is subject number `n`; nil where a removed subject's number waits to be reused.
    private var entries: [Entry?] = []
    /// The numbers of the nil entries, the last freed first.
    private var freeNumbers: [UInt32] = []
    /// Open addressing with linear probing: 0 is an empty bucket, `n + 1` names entry `n`. Its
    /// length is a power of two at least 4/3 of the count, or 0 before the first insertion.
    private var buckets: [UInt32] = []
    /// Subjects held.
    private(set) var count = 0

    /// An empty table.
    init() {}

    /// The value held for `id`.
    subscript(id: SubjectID) -> Value? {
        guard let n = find(id).number else { return nil }
        return entries[Int(n)]?.value
    }

    /// The number of the entry held for `id`.
    func number(of id: SubjectID) -> UInt32? { find(id).number }

    /// The entry with number `n`, if one is held under it.
    func entry(_ n: UInt32) -> Entry? { Int(n) < entries.count ? entries[Int(n)] : nil }

    /// Replaces the value of entry `n`, which must be held.
    mutating func setValue(_ v: Value, of n: UInt32) { entries[Int(n)]!.value = v }

    /// Holds `v` for `id`; returns the value it replaced, nil when `id` is new.
    @discardableResult
    mutating func updateValue(_ v: Value, forKey id: SubjectID) -> Value? { put(v, for: id).old }

    /// Holds `v` for `id`; returns its entry number and the value it replaced (nil: new).
    mutating func put(_ v: Value, for id: SubjectID) -> (number: UInt32, old: Value?) {
        let (n, isNew) = findOrInsert(id, v)
        return (n, isNew ? nil : swap(v, into: n))
    }

    /// The entry number held for `id`, inserting it with `v` when it is new (one lookup either way).
    mutating func findOrInsert(_ id: SubjectID, _ v: Value) -> (number: UInt32, isNew: Bool) {
        if let n = find(id).number { return (n, false) }
        grow(toHold: count + 1)
        let bucket = find(id).bucket
        let n: UInt32
        if let free = freeNumbers.popLast() {
            n = free
            entries[Int(n)] = Entry(id: id, value: v)
        } else {
            // The last number is the empty bucket's mark; no owner holds four billion subjects.
            precondition(entries.count < Int(UInt32.max), "more subjects than entry numbers")
            n = UInt32(entries.count)
            entries.append(Entry(id: id, value: v))
        }
        buckets[bucket] = n + 1
        count += 1
        return (n, true)
    }

    /// Removes `id`; returns the value it held.
    @discardableResult
    mutating func removeValue(forKey id: SubjectID) -> Value? { take(id)?.old }

    /// Removes `id`; returns the number it had and the value it held (nil: not held).
    mutating func take(_ id: SubjectID) -> (number: UInt32, old: Value)? {
        let (bucket, number) = find(id)
        guard let n = number else { return nil }
        return (n, remove(n, at: bucket).value)
    }

    /// Removes entry `n`; returns it, nil when no entry is held under that number.
    mutating func remove(number n: UInt32) -> Entry? {
        guard let id = entry(n)?.id else { return nil }
        return remove(n, at: find(id).bucket)
    }

    /// Makes room for `n` subjects in all, so that holding many grows nothing step by step.
    mutating func reserveCapacity(_ n: Int) {
        entries.reserveCapacity(n)
        grow(toHold: n)
    }

    /// Bytes held by the entries, the free numbers and the index, as allocated.
    var memoryFootprint: Int {
        entries.capacity * MemoryLayout<Entry?>.stride + freeNumbers.capacity * 4 + buckets.capacity * 4
    }

    /// The ids held, in entry order.
    var ids: [SubjectID] { entries.compactMap { $0?.id } }

    /// Changes every value held where it lies.
    mutating func updateEach(_ change: (inout Value) -> Void) {
        for n in entries.indices where entries[n] != nil { change(&entries[n]!.value) }
    }

    // MARK: - The index

    private func home(_ id: SubjectID) -> Int { id.hashValue & (buckets.count - 1) }

    /// Where `id` is (its bucket and number), or the empty bucket where it would go.
    private func find(_ id: SubjectID) -> (bucket: Int, number: UInt32?) {
        guard !buckets.isEmpty else { return (0, nil) }
        let mask = buckets.count - 1
        var i = home(id)
        while true {
            let b = buckets[i]
            if b == 0 { return (i, nil) }
            if entries[Int(b - 1)]?.holds(id) == true { return (i, b - 1) }
            i = (i + 1) & mask
        }
    }

    private mutating func swap(_ v: Value, into n: UInt32) -> Value {
        var old = v
        Swift.swap(&old, &entries[Int(n)]!.value)
        return old
    }

    /// Empties bucket `bucket`, which names entry `n`, and frees the number.
    private mutating func remove(_ n: UInt32, at bucket: Int) -> Entry {
        let old = entries[Int(n)]!
        entries[Int(n)] = nil
        freeNumbers.append(n)
        count -= 1
        // Backward shift: the entries after the hole that may sit in it move up, so a lookup
        // never stops early at the hole (no tombstones to clean up later).
        let mask = buckets.count - 1
        var hole = bucket
        var j = (bucket + 1) & mask
        while buckets[j] != 0 {
            let h = home(entries[Int(buckets[j] - 1)]!.id)
            if (j - h) & mask >= (j - hole) & mask {
                buckets[hole] = buckets[j]
                hole = j
            }
            j = (j + 1) & mask
        }
        buckets[hole] = 0
        return old
    }

    /// Widens the index, if needed, so that `n` entries keep it at most three quarters full.
    private mutating func grow(toHold n: Int) {
        var size = max(buckets.count, 8)
        while size * 3 < n * 4 { size *= 2 }
        guard size > buckets.count else { return }
        buckets = [UInt32](repeating: 0, count: size)
        let mask = size - 1
        for n in entries.indices {
            guard let id = entries[n]?.id else { continue }
            var i = home(id)
            while buckets[i] != 0 { i = (i + 1) & mask }
            buckets[i] = UInt32(n + 1)
        }
    }
}

extension SubjectTable: Sendable where Value: Sendable {}
extension SubjectTable.Entry: Sendable where Value: Sendable {}
