// Which slot batches of the rollup changelog still hold a current slot.

/// Counts, per slot batch (`g|<n>`), the slots whose current version it holds, and hands over
/// the batches that hold none any more: their records are deleted from the changelog.
///
/// A batch is written once, with the slots that changed at one checkpoint, and never rewritten.
/// A slot that changes again moves to a newer batch; the older one keeps a stale copy, which a
/// restore skips (the newer batch wins) until the batch holds no current slot and is deleted.
struct SlotGenerations: Sendable {
    private var live: [Int64: Int] = [:]
    /// Batches that came to hold no current slot since the last ``takeEmptied()``.
    private var emptied = Set<Int64>()
    /// The number the next batch takes (above every batch seen).
    private(set) var next: Int64 = 0

    /// A batch read back from the changelog, before its slots are counted in.
    mutating func seen(_ g: Int64) {
        if live[g] == nil { live[g] = 0; emptied.insert(g) }
        next = max(next, g + 1)
    }

    /// A slot's current version is held by `g`.
    mutating func hold(_ g: Int64) {
        live[g, default: 0] += 1
        emptied.remove(g)
        next = max(next, g + 1)
    }

    /// A slot's current version left `g` (it moved on, or was dropped).
    mutating func release(_ g: Int64) {
        guard let n = live[g] else { return }
        live[g] = n - 1
        if n - 1 <= 0 { emptied.insert(g) }
    }

    /// Opens a new batch.
    mutating func open() -> Int64 {
        defer { next += 1 }
        return next
    }

    /// Batches that hold no current slot, in order; forgotten here (delete their records).
    mutating func takeEmptied() -> [Int64] {
        let out = emptied.filter { (live[$0] ?? 0) <= 0 }.sorted()
        for g in out { live[g] = nil }
        emptied.removeAll(keepingCapacity: true)
        return out
    }

    /// Batches that hold a current slot.
    var count: Int { live.count }
}
