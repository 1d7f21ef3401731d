// Which state sets of the rollup changelog still hold a current entry, and when to rewrite them.

/// Counts, per state set (what one checkpoint wrote of one partition's rollup state: the
/// records `b|<set>|<chunk>|<chunks>`), the entries — slots, cells, years — whose current
/// version it holds, and hands over the sets that hold none any more: their records are deleted.
///
/// A set is written once and never rewritten. An entry that changes again moves to a newer
/// set; the older one keeps a stale copy, which a restore skips (the newer set wins) until the
/// set holds no current entry and is deleted. A long-lived entry (a year's cell) would keep a
/// set of stale copies alive for a year, so once the stale copies held outnumber the current
/// entries, ``isSparse(_:)`` names the sets that are more than half stale: their current
/// entries are written again into the next set, and the sparse sets empty and go. The state on
/// the topic stays within about twice what is current.
struct StateSets: Sendable {
    private struct Counts: Sendable {
        var chunks: Int
        var written: Int
        var live: Int
    }
    private var sets: [Int64: Counts] = [:]
    /// Sets that came to hold no current entry since the last ``takeEmptied()``.
    private var emptied = Set<Int64>()
    /// The number the next set takes (above every set seen, also a torn one).
    private(set) var next: Int64 = 0
    /// Current entries held, and stale copies held (in sets not yet deleted).
    private(set) var current = 0, stale = 0
    /// Stale copies allowed beyond the current entries before sparse sets are rewritten: a small
    /// state is not worth a scan.
    var staleAllowance = 10_000

    /// A complete set read back from the changelog, before its entries are counted in.
    mutating func seen(_ n: Int64, chunks: Int, entries: Int) {
        if sets[n] == nil {
            sets[n] = Counts(chunks: chunks, written: entries, live: 0)
            stale += entries
            emptied.insert(n)
        }
        passed(n)
    }

    /// A set number the changelog holds (complete or not): new sets are numbered above it.
    mutating func passed(_ n: Int64) { next = max(next, n + 1) }

    /// An entry read back from set `n` is current.
    mutating func holdRestored(_ n: Int64) {
        guard sets[n] != nil else { return }
        sets[n]!.live += 1
        current += 1; stale -= 1
        emptied.remove(n)
    }

    /// Opens a new set for a checkpoint's entries.
    mutating func open() -> Int64 {
        defer { next += 1 }
        sets[next] = Counts(chunks: 0, written: 0, live: 0)
        return next
    }

    /// An entry is written to the open set `n` (its current version).
    mutating func add(_ n: Int64) {
        sets[n]!.written += 1; sets[n]!.live += 1
        current += 1
    }

    /// The open set `n` is cut into `chunks` records.
    mutating func close(_ n: Int64, chunks: Int) { sets[n]!.chunks = chunks }

    /// An entry's current version left `n` (it moved on, or was dropped).
    mutating func release(_ n: Int64) {
        guard let c = sets[n] else { return }
        sets[n]!.live = c.live - 1
        current -= 1; stale += 1
        if c.live - 1 <= 0 { emptied.insert(n) }
    }

    /// Sets that hold no current entry, in order, with their record count; forgotten here
    /// (delete their records).
    mutating func takeEmptied() -> [(set: Int64, chunks: Int)] {
        let out = emptied.compactMap { n in sets[n].flatMap { $0.live <= 0 ? (n, $0.chunks) : nil } }.sorted { $0.0 < $1.0 }
        for (n, _) in out { stale -= sets[n]!.written; sets[n] = nil }
        emptied.removeAll(keepingCapacity: true)
        return out
    }

    /// The stale copies held outnumber the current entries (plus ``staleAllowance``): time to
    /// rewrite the current entries of sparse sets.
    var wantsRewrite: Bool { stale > current + staleAllowance }

    /// More than half of set `n`'s entries are stale copies.
    func isSparse(_ n: Int64) -> Bool { sets[n].map { $0.live * 2 < $0.written } ?? false }

    /// Sets that hold a current entry.
    var count: Int { sets.count }
}
