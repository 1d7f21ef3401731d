// A rollup book's cells, addressed by small integer ids rather than by their keys' strings.

/// The cells of one ``RollupBook``, each addressed by a ``ID``: the number of its *group* (view,
/// owner, kind, stage and region — the key without its window), its grain and its window's start.
///
/// Why: an outcome counts in five to ten cells, and hashing each cell's key (four strings) to
/// find it, then again to mark it changed, was a fifth of the rollup stage's work. Now the
/// outcome's group is looked up once and its cells by three integers. Groups are counted by the
/// cells that use them and forgotten with their last cell, windows with the prune that drops
/// their cells, so neither table outgrows what the book holds.
struct RollupCellTable: Sendable {
    /// A cell: its group, grain and window start.
    struct ID: Hashable, Sendable {
        var group: Int32
        var grain: RollupGrain
        var start: Int64
    }

    /// A key without its window.
    struct Group: Hashable, Sendable {
        var view: RollupView
        var owner: String
        var kind: String
        var stage: String
        var region: String

        init(view: RollupView, owner: String, kind: String = "", stage: String = "", region: String = "") {
            self.view = view; self.owner = owner; self.kind = kind; self.stage = stage; self.region = region
        }

        init(_ key: RollupKey) { self.init(view: key.view, owner: key.owner, kind: key.kind, stage: key.stage, region: key.region) }

        /// The groups an outcome counts in for one view: the unit view's one (the unit charged,
        /// its kind, stage and region, `-` for none); the agent view's two, all stages and its own
        /// stage (contract v1.3: agents by stage); none when the agent view has no agent.
        static func of(_ o: Outcome, view: RollupView) -> [Group] {
            switch view {
            case .unit:
                return [Group(view: .unit, owner: o.assessed ?? "-", kind: o.kind.rawValue, stage: o.stage, region: o.region?.rawValue ?? "-")]
            case .agent:
                guard let agent = o.agent else { return [] }
                return [Group(view: .agent, owner: agent), Group(view: .agent, owner: agent, stage: o.stage)]
            }
        }

        /// Its key in a window.
        func key(_ window: RollupWindow) -> RollupKey {
            RollupKey(view: view, window: window, owner: owner, kind: kind, stage: stage, region: region)
        }

        /// Whether its month cells make a scorecard: a unit's cells, an agent's cells of one stage
        /// (its all-stages cell would count twice).
        var scores: Bool { view == .unit || !stage.isEmpty }
    }

    private struct WindowID: Hashable { var grain: RollupGrain; var start: Int64 }

    /// The numbers of every cell held.
    private(set) var values: [ID: RollupCell] = [:]
    private var groupIDs: [Group: Int32] = [:]
    /// Each group by its number (nil: free), and how many cells use it.
    private var groups: [Group?] = []
    private var uses: [Int] = []
    private var freeGroups: [Int32] = []
    /// The windows the cells are in (their labels and ends).
    private var windows: [WindowID: RollupWindow] = [:]

    /// Cells held.
    var count: Int { values.count }

    /// The number of a group that holds a cell, nil if none does.
    func group(_ g: Group) -> Int32? { groupIDs[g] }

    /// A group by its number.
    func group(at n: Int32) -> Group { groups[Int(n)]! }

    /// A key's id, if its group holds a cell.
    func id(of key: RollupKey) -> ID? {
        groupIDs[Group(key)].map { ID(group: $0, grain: key.window.grain, start: key.window.start.milliseconds) }
    }

    /// The key of a cell held.
    func key(of id: ID) -> RollupKey {
        groups[Int(id.group)]!.key(windows[WindowID(grain: id.grain, start: id.start)]!)
    }

    /// The window of a cell held.
    func window(of id: ID) -> RollupWindow { windows[WindowID(grain: id.grain, start: id.start)]! }

    /// A cell's numbers.
    subscript(id: ID) -> RollupCell? { values[id] }

    /// Changes a cell held in place (a copy out of the table would copy its histogram).
    mutating func update<R>(_ id: ID, _ change: (inout RollupCell) -> R) -> R? {
        guard let i = values.index(forKey: id) else { return nil }
        return change(&values.values[i])
    }

    /// Adds an empty cell of `window` in group `g` (numbered if new); returns its id.
    mutating func insert(group g: Group, number: Int32?, window w: RollupWindow) -> ID {
        let n = number ?? groupIDs[g] ?? newGroup(g)
        let id = ID(group: n, grain: w.grain, start: w.start.milliseconds)
        guard values[id] == nil else { return id }
        values[id] = RollupCell()
        uses[Int(n)] += 1
        if windows[WindowID(grain: w.grain, start: w.start.milliseconds)] == nil { windows[WindowID(grain: w.grain, start: w.start.milliseconds)] = w }
        return id
    }

    /// Puts a cell with its numbers (a restore).
    mutating func put(_ key: RollupKey, _ cell: RollupCell) -> ID {
        let id = insert(group: Group(key), number: nil, window: key.window)
        values[id] = cell
        return id
    }

    /// Drops a cell; its group goes with its last cell.
    mutating func remove(_ id: ID) {
        guard values.removeValue(forKey: id) != nil else { return }
        let n = Int(id.group)
        uses[n] -= 1
        if uses[n] == 0, let g = groups[n] {
            groupIDs[g] = nil
            groups[n] = nil
            freeGroups.append(id.group)
        }
    }

    /// Forgets the windows that ended before `horizon` (their cells were dropped by the prune).
    mutating func dropWindows(endingBefore horizon: Timestamp) {
        windows = windows.filter { $0.value.end >= horizon }
    }

    private mutating func newGroup(_ g: Group) -> Int32 {
        let n: Int32
        if let free = freeGroups.popLast() {
            n = free
            groups[Int(n)] = g
        } else {
            n = Int32(groups.count)
            groups.append(g)
            uses.append(0)
        }
        groupIDs[g] = n
        return n
    }
}
