// The unlinked fault tickets a tracker holds, by feeder and area.

/// An index of the held fault tickets not yet linked to an outage, by the feeder and area
/// they were reported on, so an outage entered after them touches only the tickets it covers.
struct FaultPlaces {
    private var byKey: [String: Set<SubjectID>] = [:]
    private var keysOf: [SubjectID: [String]] = [:]

    /// Files a subject under its place now (nil: it is gone); only unlinked fault tickets are kept.
    mutating func update(_ id: SubjectID, _ state: SubjectState?) {
        var keys: [String] = []
        if let s = state, s.kind == .faultRepair, !s.isLinked, s.refusal == nil {
            let place = SubjectAttributes.of(s.facts, count: s.facts.count)
            if let f = place.feeder { keys.append(Self.feeder(f)) }
            if let a = place.area { keys.append(Self.area(a)) }
        }
        let old = keysOf[id] ?? []
        guard old != keys else { return }
        for k in old {
            byKey[k]?.remove(id)
            if byKey[k]?.isEmpty == true { byKey[k] = nil }
        }
        for k in keys { byKey[k, default: []].insert(id) }
        keysOf[id] = keys.isEmpty ? nil : keys
    }

    /// The tickets on any of these feeders or areas, in a stable order.
    func candidates(feeders: some Sequence<String>, areas: some Sequence<String>) -> [SubjectID] {
        var out = Set<SubjectID>()
        for f in feeders { out.formUnion(byKey[Self.feeder(f)] ?? []) }
        for a in areas { out.formUnion(byKey[Self.area(a)] ?? []) }
        return out.sorted { $0.id < $1.id }
    }

    /// Every ticket indexed, in a stable order.
    var all: [SubjectID] { keysOf.keys.sorted { $0.id < $1.id } }

    private static func feeder(_ f: String) -> String { "f\u{0}" + f }
    private static func area(_ a: String) -> String { "a\u{0}" + a }
}
