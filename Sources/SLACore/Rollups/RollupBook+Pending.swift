// What a rollup book hands over at a checkpoint, as values, and its encoding: the records to
// publish and the state set that makes them durable.

extension RollupBook {
    /// One entry of a state set: a slot, a cell or a year, with its current numbers.
    enum StateEntry: Sendable {
        case slot(RollupSlot)
        case cell(RollupKey, RollupCell)
        case year(StarRating)

        /// Its tag in a state record.
        static let slotTag: UInt8 = 1, cellTag: UInt8 = 2, yearTag: UInt8 = 3
    }

    /// What changed since the last take, as values: cheap to take (no encoding, no sorting),
    /// so an owner can take it on its timer queue and encode it with ``encoded()`` elsewhere —
    /// encoding a busy second's rollups took 45 ms, long enough to delay timers.
    ///
    /// The state is one **set**: every slot, cell and year that changed on the partition since the
    /// last take, as one or more records `b|<set>|<chunk>|<chunks>`. A restore uses a set only when
    /// it finds all its chunks: a checkpoint cut short (kill -9, a delivery that failed) leaves a
    /// set without some of them, and the restore then goes on from the sets before it, which agree
    /// with each other — cells never count an outcome whose slot was not written, nor the other way
    /// round. Records a take finds no longer needed are deleted at the take after it, once the set
    /// that replaced them has been delivered.
    public struct Pending: Sendable {
        var cells: [(key: RollupKey, cell: RollupCell)] = []
        /// The state set, if anything changed: its number and its chunks.
        var stateSet: (number: Int64, chunks: [[StateEntry]])?
        /// State records to delete (sets that hold no current entry, a set cut short, records of the older layout).
        var deletes: [String] = []
        var scorecards: [Scorecard] = []
        var verdicts: [VerdictRow] = []
        var stars: [StarRating] = []

        /// Records it publishes: a rollup per changed cell, a scorecard per changed tally, a row per
        /// changed cycle, a rating per changed year.
        public var publishCount: Int { cells.count + scorecards.count + verdicts.count + stars.count }

        /// The scorecards that changed (units' and agents').
        public var changedScorecards: [Scorecard] { scorecards }

        /// Nothing to publish or write.
        public var isEmpty: Bool {
            cells.isEmpty && stateSet == nil && deletes.isEmpty && scorecards.isEmpty && verdicts.isEmpty && stars.isEmpty
        }

        /// The changes in order (cells by key, scorecards by month and unit), with the state
        /// records encoded.
        public func encoded() -> Changes {
            var out = Changes()
            // Each key's text once: comparing keys builds it, and a busy checkpoint sorts many. The
            // positions are sorted, not the cells: moving a cell moves its key's strings and histogram.
            let order = cells.map { (window: $0.key.window.start.milliseconds, grain: $0.key.window.grain, text: $0.key.text) }
            out.cells = cells.indices.sorted {
                let a = order[$0], b = order[$1]
                // A window's order: its grain, then its start (``RollupWindow``'s).
                if a.grain != b.grain { return a.grain < b.grain }
                if a.window != b.window { return a.window < b.window }
                return a.text < b.text
            }.map { cells[$0] }
            if let set = stateSet {
                for (i, chunk) in set.chunks.enumerated() {
                    out.state.append((RollupBook.stateSetKey(set.number, chunk: i, of: set.chunks.count), Self.encode(chunk)))
                }
            }
            for key in deletes { out.state.append((key, nil)) }
            out.scorecards = scorecards.sorted { ($0.month.label, $0.view.rawValue, $0.owner) < ($1.month.label, $1.view.rawValue, $1.owner) }
            out.verdicts = verdicts.sorted { $0.cycleKey < $1.cycleKey }
            out.stars = stars.sorted { $0.keyText < $1.keyText }
            return out
        }

        /// A chunk: how many entries, then each entry's tag and its stored form (length first, so
        /// a later trailer in one entry does not shift the next).
        private static func encode(_ chunk: [StateEntry]) -> [UInt8] {
            var w = ByteWriter()
            w.varint(UInt64(chunk.count))
            for entry in chunk {
                var e = ByteWriter()
                switch entry {
                case .slot(let slot):
                    w.byte(StateEntry.slotTag); slot.encodeName(into: &w)
                    slot.encode(into: &e)
                case .cell(let key, let cell):
                    w.byte(StateEntry.cellTag)
                    key.encode(into: &e); cell.encode(into: &e)
                case .year(let rating):
                    w.byte(StateEntry.yearTag)
                    rating.encode(into: &e)
                }
                w.block(e.bytes)
            }
            return w.bytes
        }
    }

    /// The record of chunk `chunk` of `chunks` of state set `set`.
    static func stateSetKey(_ set: Int64, chunk: Int, of chunks: Int) -> String { "b|\(set)|\(chunk)|\(chunks)" }

    /// Set, chunk and chunk count of a state set's record key; nil if it is not one.
    static func stateSetChunk(_ key: String) -> (set: Int64, chunk: Int, chunks: Int)? {
        let parts = key.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "b", let set = Int64(parts[1]), let chunk = Int(parts[2]), let chunks = Int(parts[3]),
              set >= 0, chunks >= 1, chunks <= 1_000_000, chunk >= 0, chunk < chunks else { return nil }
        return (set, chunk, chunks)
    }

    /// Reads one chunk of a state set.
    static func decodeChunk(_ value: [UInt8], key: String, calendarBands bands: [Int64]) throws(StateDecodingError) -> [StateEntry] {
        var r = ByteReader(value)
        let n = try r.varint()
        // Each entry takes a few bytes at least.
        guard n <= UInt64(value.count / 3) else { throw StateDecodingError(reason: "state record \"\(key)\" claims \(n) entries in \(value.count) bytes") }
        var entries: [StateEntry] = []
        entries.reserveCapacity(Int(n))
        for _ in 0..<n {
            let tag = try r.byte()
            switch tag {
            case StateEntry.slotTag:
                let name = try r.string()
                entries.append(.slot(try RollupSlot.decode(try r.block(), name: name, generation: RollupSlot.unwritten)))
            case StateEntry.cellTag:
                var e = ByteReader(try r.block())
                let k = try RollupKey.decode(&e)
                let c = try RollupCell.decode(&e)
                guard e.atEnd else { throw StateDecodingError(reason: "trailing bytes in a cell of \"\(key)\"") }
                entries.append(.cell(k, c))
            case StateEntry.yearTag:
                var e = ByteReader(try r.block())
                let rating = try StarRating.decode(&e, bands: bands)
                guard e.atEnd else { throw StateDecodingError(reason: "trailing bytes in a year of \"\(key)\"") }
                entries.append(.year(rating))
            default:
                throw StateDecodingError(reason: "unknown entry tag \(tag) in state record \"\(key)\"")
            }
        }
        guard r.atEnd else { throw StateDecodingError(reason: "trailing bytes in state record \"\(key)\"") }
        return entries
    }
}
