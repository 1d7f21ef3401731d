// One remembered outcome of a rollup book, and its compact stored form.

/// What a ``RollupBook`` remembers of a slot: the outcome counted in it, the ids it superseded,
/// and where its state is stored.
struct RollupSlot: Sendable {
    /// The outcome counted.
    var outcome: Outcome
    /// Ids this slot counted before (a repeat of one is stale, not news).
    var superseded: [String]
    /// The state set (`b|<n>|…` in the rollup changelog) that holds this version; below 0, a
    /// record of the older layout (``olderBatch`` + n for a slot batch `g|<n>`, ``ownRecord``
    /// for an `s|` record); ``unwritten`` when not written yet.
    var generation: Int64
    /// The latest window start any version of this slot counted at. The slot is kept until this
    /// passes the retention horizon, not only its current version: an older batch may still hold
    /// an earlier version, and a restore must find that one past the horizon too, never alive
    /// without the version that replaced it.
    var keepUntil: Timestamp

    /// Generation of a slot not written yet.
    static let unwritten = Int64.min
    /// Generations of slots read from slot batches `g|<n>` (older layout): this plus n, below any
    /// state set, in the batches' order.
    static let olderBatch: Int64 = -(1 << 62)
    /// Batch numbers of the older layout stay below this.
    static let olderLayoutSpan: Int64 = 1 << 61
    /// Generation of a slot read from its own `s|` record (older than any batch).
    static let ownRecord: Int64 = olderBatch - 1

    /// Writes the slot as the `s|` value and the batch entry hold it (trailers after what older states hold).
    func encode(into w: inout ByteWriter) {
        outcome.encode(into: &w)
        w.varint(UInt64(superseded.count))
        for id in superseded { w.string(id) }
        // Contract v1.3: the party charged, the cycle's start and ordinal.
        w.string(outcome.chargedTo ?? "")
        w.signed(outcome.startedAt?.milliseconds ?? Int64.min)
        w.varint(UInt64(outcome.cycle ?? 0))
        w.byte(outcome.firstTime.map { $0 ? 2 : 1 } ?? 0)
        // Contract v1.5: the receipt a volume counts at.
        w.signed(outcome.receivedAt?.milliseconds ?? Int64.min)
        // Slot batches: how long the slot is kept.
        w.signed(keepUntil.milliseconds)
    }

    /// Reads what ``encode(into:)`` wrote, or an older state's shorter form (absent trailers).
    static func decode(_ value: [UInt8], name: String, generation: Int64) throws(StateDecodingError) -> RollupSlot {
        var r = ByteReader(value)
        var o = try Outcome.decode(&r)
        let n = try r.varint()
        guard n <= 1000 else { throw StateDecodingError(reason: "\(n) superseded verdicts in slot \"\(name)\"") }
        var superseded: [String] = []
        for _ in 0..<n { superseded.append(try r.string()) }
        if !r.atEnd { let c = try r.string(); o.chargedTo = c.isEmpty ? nil : c }
        if !r.atEnd { let s = try r.signed(); o.startedAt = s == Int64.min ? nil : Timestamp(milliseconds: s) }
        if !r.atEnd { let n = try r.varint(); o.cycle = n == 0 || n > 1_000_000 ? nil : Int(n) }
        if !r.atEnd { let b = try r.byte(); o.firstTime = b == 0 ? nil : b == 2 }
        if !r.atEnd { let s = try r.signed(); o.receivedAt = s == Int64.min ? nil : Timestamp(milliseconds: s) }
        var keep = o.windowAt
        if !r.atEnd { keep = max(keep, Timestamp(milliseconds: try r.signed())) }
        guard r.atEnd else { throw StateDecodingError(reason: "trailing bytes in slot \"\(name)\"") }
        return RollupSlot(outcome: o, superseded: superseded, generation: generation, keepUntil: keep)
    }

    /// An upper bound of the bytes ``encode(into:)`` writes with the slot's name, counted without
    /// encoding (a batch is cut to the producer's record size before it is encoded).
    func storedBytesBound(name: String) -> Int {
        let o = outcome
        var strings = name.utf8.count + o.outcomeId.utf8.count + o.subject.id.utf8.count + o.stage.utf8.count
        strings += (o.unit?.utf8.count ?? 0) + (o.agent?.utf8.count ?? 0) + (o.outageId?.utf8.count ?? 0) + (o.chargedTo?.utf8.count ?? 0)
        strings += o.result.rawValue.utf8.count + o.subject.type.rawValue.utf8.count + o.kind.rawValue.utf8.count
        strings += (o.region?.rawValue.utf8.count ?? 0) + (o.customerClass?.rawValue.utf8.count ?? 0)
        // Every string's length (at most 10 bytes each), every number at most 10, the entry's own length.
        return strings + superseded.reduce(0) { $0 + $1.utf8.count + 10 } + 13 * 10 + 10 * 10 + 10
    }
}
