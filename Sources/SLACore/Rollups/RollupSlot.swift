// One remembered outcome of a rollup book, kept in its compact stored form.

/// What a ``RollupBook`` remembers of a slot: the outcome counted in it, the ids it superseded,
/// how long it is kept and where its state is stored.
///
/// All but the generation live in one byte array, the state's own bytes behind a short header:
/// a book remembers every outcome for the retention (900 000 slots at 300 000 tickets) and reads
/// one back only for a repeat, a correction or a verdict row, while the ``Outcome`` value with its
/// strings, boxed behind the hash table, took about twice the memory. A take writes the bytes as
/// they are.
struct RollupSlot: Sendable {
    /// `keepUntil` (8 bytes, little-endian) and where the superseded ids start (4 bytes), then
    /// what ``encode(into:)`` writes.
    private var stored: [UInt8]
    /// The state set (`b|<n>|…` in the rollup changelog) that holds this version; below 0, a
    /// record of the older layout (``olderBatch`` + n for a slot batch `g|<n>`, ``ownRecord``
    /// for an `s|` record); ``unwritten`` when not written yet. (Outside the bytes: a take sets
    /// it while the entry it hands over still holds them, and would copy them.)
    var generation: Int64

    /// Generation of a slot not written yet.
    static let unwritten = Int64.min
    /// Generations of slots read from slot batches `g|<n>` (older layout): this plus n, below any
    /// state set, in the batches' order.
    static let olderBatch: Int64 = -(1 << 62)
    /// Batch numbers of the older layout stay below this.
    static let olderLayoutSpan: Int64 = 1 << 61
    /// Generation of a slot read from its own `s|` record (older than any batch).
    static let ownRecord: Int64 = olderBatch - 1

    private static let header = 12

    /// A slot that counted `outcome`.
    init(outcome: Outcome, superseded: [String], generation: Int64, keepUntil: Timestamp) {
        // Most outcomes take 120–200 bytes: one allocation to write them, one exact copy kept
        // (a grown buffer would keep up to twice the bytes for the whole retention).
        var w = ByteWriter(capacity: 320)
        w.fixed64(UInt64(bitPattern: keepUntil.milliseconds))
        for _ in 0..<4 { w.byte(0) }
        outcome.encode(into: &w)
        let at = UInt32(w.bytes.count)
        w.varint(UInt64(superseded.count))
        for id in superseded { w.string(id) }
        Self.writeTrailers(of: outcome, into: &w)
        // Slot batches: how long the slot is kept.
        w.signed(keepUntil.milliseconds)
        stored = [UInt8](unsafeUninitializedCapacity: w.bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: w.bytes)
        }
        for k in 0..<4 { stored[8 + k] = UInt8(truncatingIfNeeded: at >> (8 * UInt32(k))) }
        self.generation = generation
    }

    /// The latest window start any version of this slot counted at. The slot is kept until this
    /// passes the retention horizon, not only its current version: an older batch may still hold
    /// an earlier version, and a restore must find that one past the horizon too, never alive
    /// without the version that replaced it.
    var keepUntil: Timestamp {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(stored[k]) << (8 * UInt64(k)) }
        return Timestamp(milliseconds: Int64(bitPattern: v))
    }

    /// Where the superseded ids start in `stored`.
    private var supersededAt: Int {
        var v = 0
        for k in 0..<4 { v |= Int(stored[8 + k]) << (8 * k) }
        return v
    }

    /// The outcome counted, read back from its stored form.
    var outcome: Outcome {
        var r = ByteReader(stored, from: Self.header)
        do throws(StateDecodingError) {
            var o = try Outcome.decode(&r)
            for _ in 0..<(try r.varint()) { _ = try r.string() }
            try Self.readTrailers(&r, into: &o)
            return o
        } catch {
            // The bytes were written by ``init(outcome:superseded:generation:keepUntil:)``.
            preconditionFailure("a rollup slot's own bytes do not read back: \(error)")
        }
    }

    /// Ids this slot counted before (a repeat of one is stale, not news).
    var superseded: [String] {
        var r = ByteReader(stored, from: supersededAt)
        do throws(StateDecodingError) {
            let n = try r.varint()
            guard n > 0 else { return [] }
            return try (0..<n).map { _ throws(StateDecodingError) in try r.string() }
        } catch {
            preconditionFailure("a rollup slot's own bytes do not read back: \(error)")
        }
    }

    /// Writes the slot as the `s|` value and the batch entry hold it (trailers after what older states hold).
    func encode(into w: inout ByteWriter) { w.raw(stored[Self.header...]) }

    /// The outcome's fields of contract v1.3 and later, in the order older states lack them.
    private static func writeTrailers(of o: Outcome, into w: inout ByteWriter) {
        // Contract v1.3: the party charged, the cycle's start and ordinal.
        w.string(o.chargedTo ?? "")
        w.signed(o.startedAt?.milliseconds ?? Int64.min)
        w.varint(UInt64(o.cycle ?? 0))
        w.byte(o.firstTime.map { $0 ? 2 : 1 } ?? 0)
        // Contract v1.5: the receipt a volume counts at.
        w.signed(o.receivedAt?.milliseconds ?? Int64.min)
    }

    /// Reads what ``writeTrailers(of:into:)`` wrote, each field only if the bytes go on (an
    /// older state ends before some).
    private static func readTrailers(_ r: inout ByteReader, into o: inout Outcome) throws(StateDecodingError) {
        if !r.atEnd { let c = try r.string(); o.chargedTo = c.isEmpty ? nil : c }
        if !r.atEnd { let s = try r.signed(); o.startedAt = s == Int64.min ? nil : Timestamp(milliseconds: s) }
        if !r.atEnd { let n = try r.varint(); o.cycle = n == 0 || n > 1_000_000 ? nil : Int(n) }
        if !r.atEnd { let b = try r.byte(); o.firstTime = b == 0 ? nil : b == 2 }
        if !r.atEnd { let s = try r.signed(); o.receivedAt = s == Int64.min ? nil : Timestamp(milliseconds: s) }
    }

    /// Reads what ``encode(into:)`` wrote, or an older state's shorter form (absent trailers).
    static func decode(_ value: [UInt8], name: String, generation: Int64) throws(StateDecodingError) -> RollupSlot {
        var r = ByteReader(value)
        var o = try Outcome.decode(&r)
        let n = try r.varint()
        guard n <= 1000 else { throw StateDecodingError(reason: "\(n) superseded verdicts in slot \"\(name)\"") }
        var superseded: [String] = []
        for _ in 0..<n { superseded.append(try r.string()) }
        try readTrailers(&r, into: &o)
        var keep = o.windowAt
        if !r.atEnd { keep = max(keep, Timestamp(milliseconds: try r.signed())) }
        guard r.atEnd else { throw StateDecodingError(reason: "trailing bytes in slot \"\(name)\"") }
        return RollupSlot(outcome: o, superseded: superseded, generation: generation, keepUntil: keep)
    }

    /// An upper bound of the bytes ``encode(into:)`` writes with the slot's name, counted without
    /// encoding (a batch is cut to the producer's record size before it is encoded).
    func storedBytesBound(name: String) -> Int {
        // The name and its length, the slot's bytes and their length (at most 10 bytes each).
        name.utf8.count + 10 + stored.count - Self.header + 10
    }
}
