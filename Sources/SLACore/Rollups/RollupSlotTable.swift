// The slots of one rollup book, found by name; each slot holds its own name.

/// A rollup book's slots, keyed by name (`<view>|<slot>`), held as a set of ``RollupSlot``s
/// whose identity is the name inside their bytes.
///
/// Why not a dictionary from the name: the name as a key is a string of 40–60 bytes, a heap
/// allocation of its own per slot, and the slot's outcome id repeats most of it. Held once, in
/// the slot's bytes, the key costs nothing more; a lookup builds a small probe with the name.
struct RollupSlotTable: Sendable, Sequence {
    private var slots = Set<RollupSlot>()

    /// An empty table.
    init() {}

    /// Slots held.
    var count: Int { slots.count }

    /// The slot named `name`.
    subscript(name: String) -> RollupSlot? { self[RollupSlot(probe: name)] }

    /// The slot held under `other`'s name (its current version; no probe to build).
    subscript(other: RollupSlot) -> RollupSlot? { slots.firstIndex(of: other).map { slots[$0] } }

    /// Holds `slot` under its name, in place of any slot of that name.
    mutating func put(_ slot: RollupSlot) { slots.update(with: slot) }

    /// Sets the state set that holds `slot` (as held now: the caller read it from this table).
    mutating func setGeneration(_ n: Int64, of slot: RollupSlot) {
        var slot = slot
        slot.generation = n
        slots.update(with: slot)
    }

    /// Drops `slot` (any slot of its name).
    mutating func remove(_ slot: RollupSlot) { slots.remove(slot) }

    func makeIterator() -> Set<RollupSlot>.Iterator { slots.makeIterator() }
}
