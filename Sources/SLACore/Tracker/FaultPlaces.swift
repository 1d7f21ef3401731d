// The unlinked fault tickets a tracker holds, by feeder and area.

/// An index of the held fault tickets not yet linked to an outage, by the feeder and area
/// they were reported on, so an outage entered after them touches only the tickets it covers.
///
/// It keeps no table of its own from ticket to place: the tracker hands over the state before
/// and after each change, and the places of both are derived from their facts. (A table from
/// every fault ticket to its keys cost about 115 bytes per open ticket.) A ticket is filed by
/// its number in the tracker's table (``SubjectTable``), 4 bytes where its id takes 24; the
/// tracker turns numbers back into ids for the lists it hands out.
struct FaultPlaces {
    /// Where a fault ticket was reported, as the index files it.
    fileprivate enum Key: Hashable {
        case feeder(String)
        case area(String)
    }

    private var byKey: [Key: Set<UInt32>] = [:]

    /// Refiles a subject from its places in `old` (the state the tracker held, nil: none) to
    /// those in `new` (nil: it is gone); only unlinked fault tickets are kept.
    mutating func update(_ id: UInt32, from old: SubjectState?, to new: SubjectState?) {
        let before = Self.keys(old), after = Self.keys(new)
        // Each key moves on its own, and only when it changed: most events change neither.
        if before.feeder != after.feeder { move(id, from: before.feeder, to: after.feeder) }
        if before.area != after.area { move(id, from: before.area, to: after.area) }
    }

    private mutating func move(_ id: UInt32, from old: Key?, to new: Key?) {
        if let old { Self.remove(id, from: &byKey[old]) }
        if let new { byKey[new, default: []].insert(id) }
    }

    /// One lookup of the key's set: changed in place, and dropped once empty.
    private static func remove(_ id: UInt32, from ids: inout Set<UInt32>?) {
        ids?.remove(id)
        if ids?.isEmpty == true { ids = nil }
    }

    /// Fault tickets new to the index, gathered by key so that each key's set is filled at
    /// once (``file(_:)``). A restore filed a million tickets one by one into sets scattered
    /// over memory: a third of adopting them went to those inserts.
    struct Filing {
        fileprivate var byKey: [Key: [UInt32]] = [:]

        /// Nothing gathered.
        init() {}

        /// Whether nothing is gathered.
        var isEmpty: Bool { byKey.isEmpty }

        /// Gathers a ticket the index does not hold, under the keys of its state.
        mutating func add(_ id: UInt32, _ state: SubjectState) {
            let keys = FaultPlaces.keys(state)
            if let f = keys.feeder { byKey[f, default: []].append(id) }
            if let a = keys.area { byKey[a, default: []].append(id) }
        }
    }

    /// Files the gathered tickets, key by key. None of them may be in the index already.
    mutating func file(_ filing: Filing) {
        for (key, ids) in filing.byKey { Self.insert(ids, into: &byKey[key, default: []]) }
    }

    private static func insert(_ ids: [UInt32], into set: inout Set<UInt32>) {
        set.reserveCapacity(set.count + ids.count)
        for id in ids { set.insert(id) }
    }

    /// The tickets on any of these feeders or areas, in a stable order; `id` names a number.
    func candidates(feeders: some Sequence<String>, areas: some Sequence<String>, id: (UInt32) -> SubjectID) -> [SubjectID] {
        var out = Set<UInt32>()
        for f in feeders { out.formUnion(byKey[.feeder(f)] ?? []) }
        for a in areas { out.formUnion(byKey[.area(a)] ?? []) }
        return out.map(id).sorted { $0.id < $1.id }
    }

    /// Every ticket indexed, in a stable order; `id` names a number.
    func all(id: (UInt32) -> SubjectID) -> [SubjectID] {
        var out = Set<UInt32>()
        for ids in byKey.values { out.formUnion(ids) }
        return out.map(id).sorted { $0.id < $1.id }
    }

    /// The keys a state is filed under: none unless it is an unlinked, unrefused fault ticket.
    private static func keys(_ state: SubjectState?) -> (feeder: Key?, area: Key?) {
        guard let s = state, s.kind == .faultRepair, !s.isLinked, s.refusal == nil else { return (nil, nil) }
        let place = SubjectAttributes.place(s.facts, count: s.facts.count)
        return (place.feeder.map(Key.feeder), place.area.map(Key.area))
    }
}
