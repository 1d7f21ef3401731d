// One remembered outcome of a rollup book, kept in its compact stored form.

/// What a ``RollupBook`` remembers of a slot: its name, the outcome counted in it, the ids it
/// superseded, how long it is kept and where its state is stored.
///
/// All but the generation live in one byte array, which is also the slot's key in its book
/// (``RollupSlotTable``): a book remembers every outcome for the retention (900 000 slots at
/// 300 000 tickets) and reads one back only for a repeat, a correction or a verdict row. As an
/// ``Outcome`` value with its strings, boxed behind a table keyed by the name, a slot took about
/// twice the memory. The outcome's id is kept as what it adds to the name (a verdict's id is its
/// cycle's slot name and the verdict type), and a take writes the rest of the bytes as they are.
struct RollupSlot: Sendable, Hashable {
    /// Layout: `keepUntil` (8 bytes, little-endian), where the outcome's fields after its id start
    /// (4 bytes) and where the superseded ids start (4 bytes); the name (length first); how many
    /// bytes the id shares with the name past its view (`unit|`), and the id's other bytes (length
    /// first); then what ``encode(into:)`` writes after the id.
    private var stored: [UInt8]
    /// The state set (`b|<n>|…` in the rollup changelog) that holds this version; below 0, a
    /// record of the older layout (``olderBatch`` + n for a slot batch `g|<n>`, ``ownRecord``
    /// for an `s|` record); ``unwritten`` when not written yet. (Outside the bytes: a take sets
    /// it while the entry it hands over still holds them, and would copy them.) Not part of the
    /// slot's identity.
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

    private static let header = 16

    /// A slot named `name` (`<view>|<slot>`) that counted `outcome`.
    init(name: String, outcome: Outcome, superseded: [String], generation: Int64, keepUntil: Timestamp) {
        // Most slots take 150–250 bytes: one allocation to write them, one exact copy kept (a grown
        // buffer would keep up to twice the bytes for the whole retention).
        var w = ByteWriter(capacity: 384)
        w.fixed64(UInt64(bitPattern: keepUntil.milliseconds))
        for _ in 0..<8 { w.byte(0) }
        var name = name, id = outcome.outcomeId
        name.withUTF8 { nameBytes in
            id.withUTF8 { idBytes in
                let base = Self.viewEnd(nameBytes)
                var shared = 0
                while shared < idBytes.count, base + shared < nameBytes.count, idBytes[shared] == nameBytes[base + shared] { shared += 1 }
                w.varint(UInt64(nameBytes.count)); w.raw(nameBytes)
                w.varint(UInt64(shared))
                let rest = UnsafeBufferPointer(rebasing: idBytes[shared...])
                w.varint(UInt64(rest.count)); w.raw(rest)
            }
        }
        let rest = UInt32(w.bytes.count)
        outcome.encodeAfterId(into: &w)
        let supersededAt = UInt32(w.bytes.count)
        w.varint(UInt64(superseded.count))
        for id in superseded { w.string(id) }
        Self.writeTrailers(of: outcome, into: &w)
        // Slot batches: how long the slot is kept.
        w.signed(keepUntil.milliseconds)
        stored = [UInt8](unsafeUninitializedCapacity: w.bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: w.bytes)
        }
        Self.put(rest, at: 8, in: &stored)
        Self.put(supersededAt, at: 12, in: &stored)
        self.generation = generation
    }

    /// A slot with only a name, to look one up by (``RollupSlotTable``).
    init(probe name: String) {
        var w = ByteWriter(capacity: Self.header + name.utf8.count + 2)
        for _ in 0..<Self.header { w.byte(0) }
        w.string(name)
        stored = w.bytes
        generation = Self.unwritten
    }

    private static func put(_ v: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
    }

    private func word(at offset: Int) -> Int {
        var v = 0
        for k in 0..<4 { v |= Int(stored[offset + k]) << (8 * k) }
        return v
    }

    /// Where the outcome's fields after its id start in `stored`.
    private var fieldsAt: Int { word(at: 8) }
    /// Where the superseded ids start in `stored`.
    private var supersededAt: Int { word(at: 12) }

    /// Where a name's slot part starts: past its view and `|`.
    private static func viewEnd<C: Collection<UInt8>>(_ name: C) -> Int where C.Index == Int {
        // Generic over the two callers' collections, in this module: specialized, not boxed.
        (name.firstIndex(of: UInt8(ascii: "|")).map { $0 + 1 } ?? name.startIndex) - name.startIndex
    }

    /// The name's bytes in `stored`.
    private var nameRange: Range<Int> {
        var r = ByteReader(stored, from: Self.header)
        // Written by this type: a length that reads.
        let n = Int((try? r.varint()) ?? 0)
        return r.offset..<(r.offset + n)
    }

    /// `<view>|<slot>`, the slot's key in its book.
    var name: String { String(decoding: stored[nameRange], as: UTF8.self) }

    /// The latest window start any version of this slot counted at. The slot is kept until this
    /// passes the retention horizon, not only its current version: an older batch may still hold
    /// an earlier version, and a restore must find that one past the horizon too, never alive
    /// without the version that replaced it.
    var keepUntil: Timestamp {
        var r = ByteReader(stored)
        // Written by this type: eight bytes that read.
        return Timestamp(milliseconds: Int64(bitPattern: (try? r.fixed64()) ?? 0))
    }

    /// Where the outcome's id lies in `stored`: the part it shares with the name, then the rest.
    /// (Ranges, not a copy: a take writes every changed slot's id.)
    private var idParts: (shared: Range<Int>, rest: Range<Int>) {
        let names = nameRange
        var r = ByteReader(stored, from: names.upperBound)
        do throws(StateDecodingError) {
            let shared = Int(try r.varint()), count = Int(try r.varint())
            let start = names.lowerBound + Self.viewEnd(stored[names])
            return (start..<(start + shared), r.offset..<(r.offset + count))
        } catch {
            preconditionFailure("a rollup slot's own bytes do not read back: \(error)")
        }
    }

    /// The outcome counted, read back from its stored form.
    var outcome: Outcome {
        var r = ByteReader(stored, from: fieldsAt)
        do throws(StateDecodingError) {
            let id = idParts
            var o = try Outcome.decode(&r, id: String(decoding: stored[id.shared] + stored[id.rest], as: UTF8.self))
            for _ in 0..<(try r.varint()) { _ = try r.string() }
            try Self.readTrailers(&r, into: &o)
            return o
        } catch {
            // The bytes were written by ``init(name:outcome:superseded:generation:keepUntil:)``.
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
    func encode(into w: inout ByteWriter) {
        let id = idParts
        w.varint(UInt64(id.shared.count + id.rest.count))
        w.raw(stored[id.shared]); w.raw(stored[id.rest])
        w.raw(stored[fieldsAt...])
    }

    /// Writes the name as a state entry holds it (length first).
    func encodeName(into w: inout ByteWriter) {
        let names = nameRange
        w.varint(UInt64(names.count))
        w.raw(stored[names])
    }

    /// Slots are one when their names are.
    static func == (a: RollupSlot, b: RollupSlot) -> Bool { a.stored[a.nameRange] == b.stored[b.nameRange] }

    func hash(into hasher: inout Hasher) {
        stored.withUnsafeBytes { hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: $0[nameRange])) }
    }

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
        return RollupSlot(name: name, outcome: o, superseded: superseded, generation: generation, keepUntil: keep)
    }

    /// An upper bound of the bytes ``encode(into:)`` writes with the slot's name, counted without
    /// encoding (a batch is cut to the producer's record size before it is encoded): the slot's
    /// bytes hold the name and the id's parts, each with its length, and its fields as written;
    /// the written id repeats up to the whole name, and the entry adds the id's length and its
    /// own (at most 10 bytes each).
    var storedBytesBound: Int { stored.count - Self.header + nameRange.count + 20 }
}
