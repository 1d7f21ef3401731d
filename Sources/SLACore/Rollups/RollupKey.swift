// What a rollup counts: a window and either a unit's stage of a kind in a region, or an agent.

/// The two ways outcomes are rolled up. Each outcome is published once per view, keyed by
/// that view's owner (unit or agent), so every rollup cell lives on exactly one partition.
public enum RollupView: String, Sendable, Hashable, CaseIterable {
    /// Per (window, unit, kind, stage, region).
    case unit
    /// Per (window, agent): the call-taker or handler.
    case agent
}

/// The dimensions of one rollup record; its ``text`` is the record's key on the rollups topic.
public struct RollupKey: Sendable, Hashable, Comparable {
    public var view: RollupView
    public var window: RollupWindow
    /// Unit view: the unit (`-` when the outcome named none); agent view: the agent.
    public var owner: String
    /// Unit view only: kind, stage and region (`-` for none).
    public var kind: String
    public var stage: String
    public var region: String

    /// A key from its parts (agent keys leave kind, stage and region empty).
    public init(view: RollupView, window: RollupWindow, owner: String, kind: String = "", stage: String = "", region: String = "") {
        self.view = view; self.window = window; self.owner = owner; self.kind = kind; self.stage = stage; self.region = region
    }

    /// The cells an outcome counts in for one view: one per grain — for the agent view two, all
    /// stages and its own stage (contract v1.3: agents by stage) —; none when the agent view has
    /// no agent.
    public static func cells(of o: Outcome, view: RollupView, calendar: BusinessCalendar) -> [RollupKey] {
        cells(of: o, view: view, windows: RollupGrain.allCases.map { RollupWindow.of(o.windowAt, $0, calendar: calendar) })
    }

    /// The same, with the windows of every grain (in ``RollupGrain`` order) that hold the outcome's `windowAt`.
    static func cells(of o: Outcome, view: RollupView, windows: [RollupWindow]) -> [RollupKey] {
        // The groups are what a rollup book counts the outcome in (``RollupCellTable/Group/of(_:view:)``).
        windows.flatMap { w in RollupCellTable.Group.of(o, view: view).map { $0.key(w) } }
    }

    /// Hashes what tells keys apart: a window's label and end follow from its grain and start.
    public func hash(into h: inout Hasher) {
        h.combine(window.start.milliseconds)
        h.combine(window.grain)
        h.combine(view)
        h.combine(owner); h.combine(kind); h.combine(stage); h.combine(region)
    }

    /// `unit|day|2026-11-22|U1|fault_repair|repair.arrival|urban`, `agent|hour|2026-11-22T08|A7` (all
    /// stages) or `agent|hour|2026-11-22T08|A7|repair.arrival` (one stage);
    /// `|` and `%` inside a value are percent-escaped.
    public var text: String {
        var parts = [view.rawValue, window.grain.rawValue, window.label, Self.escaped(owner)]
        if view == .unit { parts += [Self.escaped(kind), Self.escaped(stage), Self.escaped(region)] }
        if view == .agent, !stage.isEmpty { parts.append(Self.escaped(stage)) }
        return parts.joined(separator: "|")
    }

    static func escaped(_ s: String) -> String {
        guard s.contains(where: { $0 == "|" || $0 == "%" }) else { return s }
        return s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "|", with: "%7C")
    }

    public static func < (a: RollupKey, b: RollupKey) -> Bool { (a.window, a.text) < (b.window, b.text) }

    func encode(into w: inout ByteWriter) {
        w.string(view.rawValue); w.string(window.grain.rawValue); w.string(window.label)
        w.signed(window.start.milliseconds); w.signed(window.end.milliseconds)
        w.string(owner); w.string(kind); w.string(stage); w.string(region)
    }

    /// An upper bound of the bytes ``encode(into:)`` writes, counted without encoding: each
    /// string's bytes and length (at most 10), each number at most 10.
    var storedBytesBound: Int {
        view.rawValue.utf8.count + window.grain.rawValue.utf8.count + window.label.utf8.count + owner.utf8.count
            + kind.utf8.count + stage.utf8.count + region.utf8.count + 9 * 10
    }

    static func decode(_ r: inout ByteReader) throws(StateDecodingError) -> RollupKey {
        let view = try r.value(RollupView.self)
        let window = RollupWindow(grain: try r.value(RollupGrain.self), label: try r.string(),
                                  start: Timestamp(milliseconds: try r.signed()), end: Timestamp(milliseconds: try r.signed()))
        return RollupKey(view: view, window: window, owner: try r.string(), kind: try r.string(), stage: try r.string(), region: try r.string())
    }
}
