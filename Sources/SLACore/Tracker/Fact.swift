// One applied input event, reduced to what the SLA clocks need.

/// An input event as the tracker keeps it in a subject's history.
public struct Fact: Sendable, Equatable {
    /// FNV-1a hash of the `event_id`, for dropping repeats.
    public var eventHash: UInt64
    /// `occurred_at`.
    public var time: Timestamp
    /// The attributes few events carry (complaint details, satisfaction, area, outage
    /// instants), out of line: a fact is kept for every applied event of every open ticket.
    private var rare = OutOfLine<Rare>()
    /// The unit, agent and feeder, as numbers in ``TextPool/shared`` (4 bytes each, not 16).
    private var unitText = PooledText.none
    private var agentText = PooledText.none
    private var feederText = PooledText.none
    /// The action.
    public var action: LifecycleAction
    public var region: Region?
    public var customerClass: CustomerClass?

    /// The fields few facts set (stored order above: 40 bytes a fact, from 152 and then 80).
    private struct Rare: Equatable, Sendable {
        var reportedTo: ReportedTo?
        var multiUnit: Bool?
        var satisfaction: Int?
        var area: String?
        var startAt: Timestamp?
        var estRestoreAt: Timestamp?
        /// The names a full text pool did not take (unit, agent, feeder), boxed once more:
        /// they are rarer still, and the box of the common rare fields stays small.
        var kept = OutOfLine<KeptTexts>()
    }

    /// Names the text pool had no room for.
    private struct KeptTexts: Equatable, Sendable {
        var unit: String?
        var agent: String?
        var feeder: String?

        subscript(name: Name) -> String? {
            get { switch name { case .unit: unit; case .agent: agent; case .feeder: feeder } }
            set { switch name { case .unit: unit = newValue; case .agent: agent = newValue; case .feeder: feeder = newValue } }
        }
    }

    /// The three pooled names.
    private enum Name { case unit, agent, feeder }

    private func pooled(_ name: Name) -> PooledText {
        switch name { case .unit: unitText; case .agent: agentText; case .feeder: feederText }
    }

    /// A name: from the pool, or kept here.
    private func text(_ name: Name) -> String? {
        let p = pooled(name)
        return p.isKept ? rare.value?.kept.value?[name] : p.text()
    }

    /// Stores a name: its pool number, or the text itself when the pool is full.
    private mutating func setText(_ text: String?, _ name: Name, pool: TextPool = .shared) {
        let (p, kept) = PooledText.of(text, in: pool)
        switch name { case .unit: unitText = p; case .agent: agentText = p; case .feeder: feederText = p }
        // The rare box is replaced only when a kept text comes or goes (most facts have none).
        if kept != nil || rare.value?.kept.value?[name] != nil {
            changeRare { r in
                var k = r.kept.value ?? KeptTexts()
                k[name] = kept
                r.kept.value = k == KeptTexts() ? nil : k
            }
        }
    }

    /// Sets the three names through `pool`: a full one makes the fact keep them (for tests). A
    /// name is always read back from ``TextPool/shared``, so a number from another pool would
    /// read back another text: that stops here rather than passing unnoticed.
    mutating func setNames(unit: String?, agent: String?, feeder: String?, pool: TextPool) {
        setText(unit, .unit, pool: pool); setText(agent, .agent, pool: pool); setText(feeder, .feeder, pool: pool)
        precondition(self.unit == unit && self.agent == agent && self.feeder == feeder, "a name pooled outside the shared pool")
    }

    /// Attributes the event carried (nil where it carried none).
    public var unit: String? {
        get { text(.unit) }
        set { setText(newValue, .unit) }
    }
    public var agent: String? {
        get { text(.agent) }
        set { setText(newValue, .agent) }
    }
    public var feeder: String? {
        get { text(.feeder) }
        set { setText(newValue, .feeder) }
    }

    /// Changes the rare fields, dropping their box once they are all empty again.
    private mutating func changeRare(_ change: (inout Rare) -> Void) {
        var r = rare.value ?? Rare()
        change(&r)
        rare.value = r == Rare() ? nil : r
    }

    public var reportedTo: ReportedTo? {
        get { rare.value?.reportedTo }
        set { changeRare { $0.reportedTo = newValue } }
    }
    public var multiUnit: Bool? {
        get { rare.value?.multiUnit }
        set { changeRare { $0.multiUnit = newValue } }
    }
    public var satisfaction: Int? {
        get { rare.value?.satisfaction }
        set { changeRare { $0.satisfaction = newValue } }
    }
    public var area: String? {
        get { rare.value?.area }
        set { changeRare { $0.area = newValue } }
    }
    public var startAt: Timestamp? {
        get { rare.value?.startAt }
        set { changeRare { $0.startAt = newValue } }
    }
    public var estRestoreAt: Timestamp? {
        get { rare.value?.estRestoreAt }
        set { changeRare { $0.estRestoreAt = newValue } }
    }

    /// A fact with no attributes.
    public init(eventHash: UInt64, time: Timestamp, action: LifecycleAction) {
        self.eventHash = eventHash; self.time = time; self.action = action
    }

    /// The fact an input event contributes.
    public init(_ event: InboundEvent) {
        self.init(eventHash: EventHash.of(event.eventId), time: event.occurredAt, action: event.action)
        switch event {
        case .ticket(let t):
            unit = t.unit; region = t.region; customerClass = t.customerClass; agent = t.agent; feeder = t.feeder
            changeRare { r in r.reportedTo = t.reportedTo; r.multiUnit = t.multiUnit; r.satisfaction = t.satisfaction; r.area = t.area }
        case .outage(let o):
            unit = o.unit
            changeRare { r in r.startAt = o.startAt; r.estRestoreAt = o.estRestoreAt }
        }
    }

    /// The outage instant the fact carries, if it carries it.
    func instant(_ i: OutageInstant) -> Timestamp? {
        switch i {
        case .startAt: return startAt
        case .estRestoreAt: return estRestoreAt
        }
    }

    /// History order: by time, then lifecycle order, then hash, so any arrival order gives one history.
    public static func precedes(_ a: Fact, _ b: Fact) -> Bool {
        if a.time != b.time { return a.time < b.time }
        if a.action != b.action { return a.action < b.action }
        return a.eventHash < b.eventHash
    }
}

/// Stable 64-bit FNV-1a, used where a hash must be the same in every process (stored state).
public enum EventHash {
    /// FNV-1a of the UTF-8 bytes of `s`.
    public static func of(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}
