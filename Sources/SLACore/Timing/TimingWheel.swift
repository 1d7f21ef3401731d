// A hierarchical timing wheel: O(1) schedule and cancel, exact expiry, no allocation per timer.

/// Timers by deadline, in milliseconds, for a million and more pending SLA clocks.
///
/// Varghese & Lauck's scheme 7, as in Kafka's purgatory and Tokio: six levels of 64 slots at a
/// 1 ms tick, so level `L` slots are `64^L` ms wide and the wheel spans 2^36 ms (about 795
/// days) ahead of its current time; farther deadlines wait in an overflow list. A timer sits at
/// the lowest level whose slot separates its deadline from the current time; when time reaches
/// a higher-level slot, its timers cascade down, so every timer fires from a 1 ms slot of
/// level 0 — exactly at its deadline, never a slot-width late.
///
/// Nodes live in one contiguous slab with integer links and a free list: scheduling reuses a
/// free node and allocates only when the slab grows. Each level keeps a 64-bit occupancy map,
/// so finding the next non-empty slot is a count of trailing zeros.
///
/// Not thread-safe: one owner (in slawatch, the worker's serial queue) uses it.
public struct TimingWheel<Payload: BitwiseCopyable> {
    /// 24 bytes: the whole per-timer cost of the wheel besides the payload.
    struct Node {
        var deadline: Int64
        var next: UInt32
        var prev: UInt32
        /// The list the node is on (see ``List``), or ``freeList`` when free.
        var list: UInt32
        var generation: UInt32
    }

    static var levels: Int { 6 }
    static var slotBits: Int64 { 6 }
    static var slotsPerLevel: Int { 64 }
    /// The span the levels cover; deadlines at least this far ahead go to the overflow list.
    static var span: Int64 { 1 << 36 }
    static var none: UInt32 { .max }
    /// List ids: level * 64 + slot for slots, then these two.
    static var pastList: UInt32 { UInt32(levels * slotsPerLevel) }
    static var overflowList: UInt32 { pastList + 1 }
    static var freeList: UInt32 { .max }

    private var nodes: [Node] = []
    private var payloads: [Payload] = []
    private var heads: [UInt32]
    private var tails: [UInt32]
    private var occupied: [UInt64]
    private var freeHead = TimingWheel.none
    /// The wheel's current time: every deadline at or before it has been returned.
    public private(set) var now: Int64
    /// Timers pending.
    public private(set) var count = 0

    /// An empty wheel whose time starts at `now` (milliseconds, not negative); `capacity`
    /// nodes are reserved up front.
    public init(now: Int64, capacity: Int = 0) {
        precondition(now >= 0, "the wheel counts milliseconds from the epoch")
        self.now = now
        let lists = Self.levels * Self.slotsPerLevel + 2
        heads = Array(repeating: Self.none, count: lists)
        tails = Array(repeating: Self.none, count: lists)
        occupied = Array(repeating: 0, count: Self.levels)
        nodes.reserveCapacity(capacity)
        payloads.reserveCapacity(capacity)
    }

    /// Bytes the wheel holds for its slab and slot tables (payload storage included).
    public var memoryFootprint: Int {
        nodes.capacity * MemoryLayout<Node>.stride + payloads.capacity * MemoryLayout<Payload>.stride
            + (heads.capacity + tails.capacity) * 4 + occupied.capacity * 8
    }

    /// Schedules a timer. A deadline at or before ``now`` fires at the next ``advance(to:into:)``.
    public mutating func schedule(at deadline: Int64, _ payload: Payload) -> TimerHandle {
        let i: UInt32
        if freeHead != Self.none {
            i = freeHead
            freeHead = nodes[Int(i)].next
            nodes[Int(i)].deadline = deadline
            payloads[Int(i)] = payload
        } else {
            precondition(nodes.count < Int(Self.none), "timing wheel full")
            i = UInt32(nodes.count)
            nodes.append(Node(deadline: deadline, next: Self.none, prev: Self.none, list: Self.freeList, generation: 0))
            payloads.append(payload)
        }
        place(i)
        count += 1
        return TimerHandle(index: i, generation: nodes[Int(i)].generation)
    }

    /// Cancels a pending timer; false (and nothing changes) when the handle is stale.
    @discardableResult
    public mutating func cancel(_ h: TimerHandle) -> Bool {
        guard Int(h.index) < nodes.count else { return false }
        let n = nodes[Int(h.index)]
        guard n.generation == h.generation, n.list != Self.freeList else { return false }
        unlink(h.index)
        release(h.index)
        return true
    }

    /// The deadline of a pending timer, nil when the handle is stale.
    public func deadline(of h: TimerHandle) -> Int64? {
        guard Int(h.index) < nodes.count else { return nil }
        let n = nodes[Int(h.index)]
        return n.generation == h.generation && n.list != Self.freeList ? n.deadline : nil
    }

    /// When the wheel next needs to run: the earliest pending deadline, or earlier, the start
    /// of a higher-level slot that must cascade first. Nil when no timer is pending. A driver
    /// arms its one system timer for this instant and never ticks in between.
    public func nextWakeup() -> Int64? {
        if heads[Int(Self.pastList)] != Self.none { return now }
        var best: Int64?
        for level in 0..<Self.levels {
            if let t = nextSlotStart(level: level) { best = min(best ?? t, t) }
        }
        if let t = overflowReentry() { best = min(best ?? t, t) }
        return best
    }

    /// The exact earliest pending deadline. It reads the first occupied slot of each level,
    /// so it costs the length of those lists; drivers use ``nextWakeup()``.
    public func earliestDeadline() -> Int64? {
        var best: Int64?
        func scan(_ list: Int) {
            var i = heads[list]
            while i != Self.none { best = min(best ?? nodes[Int(i)].deadline, nodes[Int(i)].deadline); i = nodes[Int(i)].next }
        }
        scan(Int(Self.pastList))
        scan(Int(Self.overflowList))
        for level in 0..<Self.levels {
            guard occupied[level] != 0 else { continue }
            scan(level * Self.slotsPerLevel + occupied[level].trailingZeroBitCount)
        }
        return best
    }

    /// Moves the wheel's time to `t` and appends every timer with deadline ≤ `t` to `out`,
    /// in deadline order (timers with equal deadlines in no promised order).
    public mutating func advance(to t: Int64, into out: inout [ExpiredTimer<Payload>]) {
        guard t >= now else { return }
        firePast(into: &out)
        while true {
            var best: (time: Int64, level: Int)?
            for level in 0..<Self.levels {
                if let s = nextSlotStart(level: level), s <= t, best.map({ s < $0.time }) ?? true { best = (s, level) }
            }
            if let r = overflowReentry(), r <= t, best.map({ r < $0.time }) ?? true {
                now = r
                reinsert(list: Int(Self.overflowList))
                continue
            }
            guard let (time, level) = best else { break }
            now = time
            let slot = Int((time >> (Int64(level) * Self.slotBits)) & 63)
            let list = level * Self.slotsPerLevel + slot
            if level == 0 {
                var i = heads[list]
                while i != Self.none {
                    let n = nodes[Int(i)]
                    out.append(ExpiredTimer(handle: TimerHandle(index: i, generation: n.generation), deadline: n.deadline, payload: payloads[Int(i)]))
                    let next = n.next
                    release(i)
                    i = next
                }
                heads[list] = Self.none; tails[list] = Self.none
                occupied[0] &= ~(1 << UInt64(slot))
            } else {
                reinsert(list: list)
            }
        }
        now = t
    }

    /// Convenience form of ``advance(to:into:)`` returning a new array.
    public mutating func advance(to t: Int64) -> [ExpiredTimer<Payload>] {
        var out: [ExpiredTimer<Payload>] = []
        advance(to: t, into: &out)
        return out
    }

    // MARK: placement

    /// Puts a node on the list its deadline belongs to, relative to ``now``.
    private mutating func place(_ i: UInt32) {
        let d = nodes[Int(i)].deadline
        if d < now { append(i, to: Self.pastList); return }
        let diff = d ^ now
        if diff >= Self.span { append(i, to: Self.overflowList); return }
        // The highest bit where deadline and now differ picks the level (Tokio's rule);
        // or-ing 63 makes equal times land on level 0.
        let significant = 63 - Int64((diff | 63).leadingZeroBitCount)
        let level = Int(significant / Self.slotBits)
        let slot = Int((d >> (Int64(level) * Self.slotBits)) & 63)
        append(i, to: UInt32(level * Self.slotsPerLevel + slot))
        occupied[level] |= 1 << UInt64(slot)
    }

    private mutating func append(_ i: UInt32, to list: UInt32) {
        let l = Int(list)
        nodes[Int(i)].list = list
        nodes[Int(i)].next = Self.none
        nodes[Int(i)].prev = tails[l]
        if tails[l] != Self.none { nodes[Int(tails[l])].next = i } else { heads[l] = i }
        tails[l] = i
    }

    private mutating func unlink(_ i: UInt32) {
        let n = nodes[Int(i)]
        let l = Int(n.list)
        if n.prev != Self.none { nodes[Int(n.prev)].next = n.next } else { heads[l] = n.next }
        if n.next != Self.none { nodes[Int(n.next)].prev = n.prev } else { tails[l] = n.prev }
        if heads[l] == Self.none, n.list < Self.pastList {
            occupied[l / Self.slotsPerLevel] &= ~(1 << UInt64(l % Self.slotsPerLevel))
        }
    }

    /// Returns a node to the free list; its generation moves on so old handles go stale.
    private mutating func release(_ i: UInt32) {
        nodes[Int(i)].list = Self.freeList
        nodes[Int(i)].generation &+= 1
        nodes[Int(i)].next = freeHead
        freeHead = i
        count -= 1
    }

    /// Empties a list and places each of its nodes again (cascade, overflow re-entry).
    private mutating func reinsert(list: Int) {
        var i = heads[list]
        heads[list] = Self.none; tails[list] = Self.none
        if list < Int(Self.pastList) { occupied[list / Self.slotsPerLevel] &= ~(1 << UInt64(list % Self.slotsPerLevel)) }
        while i != Self.none {
            let next = nodes[Int(i)].next
            place(i)
            i = next
        }
    }

    /// Deadlines that were already past when scheduled fire first, in deadline order.
    private mutating func firePast(into out: inout [ExpiredTimer<Payload>]) {
        let list = Int(Self.pastList)
        guard heads[list] != Self.none else { return }
        var batch: [ExpiredTimer<Payload>] = []
        var i = heads[list]
        while i != Self.none {
            let n = nodes[Int(i)]
            batch.append(ExpiredTimer(handle: TimerHandle(index: i, generation: n.generation), deadline: n.deadline, payload: payloads[Int(i)]))
            let next = n.next
            release(i)
            i = next
        }
        heads[list] = Self.none; tails[list] = Self.none
        // Stable by construction: ties keep scheduling order through the enumerated index.
        out += batch.enumerated().sorted { ($0.element.deadline, $0.offset) < ($1.element.deadline, $1.offset) }.map(\.element)
    }

    /// Start time of the first occupied slot of a level at or after the current position.
    private func nextSlotStart(level: Int) -> Int64? {
        let bits = occupied[level]
        guard bits != 0 else { return nil }
        let shift = Int64(level) * Self.slotBits
        let slot = Int64(bits.trailingZeroBitCount)
        // Occupied slots never lie behind the current one at their level: their higher digits
        // equal now's, so the slot's start keeps now's higher digits.
        let levelRange = shift + Self.slotBits
        let base = levelRange >= 63 ? 0 : (now >> levelRange) << levelRange
        return base + (slot << shift)
    }

    /// When the earliest overflow timer comes within the wheel's span.
    private func overflowReentry() -> Int64? {
        var i = heads[Int(Self.overflowList)]
        var best: Int64?
        while i != Self.none {
            let r = nodes[Int(i)].deadline & ~(Self.span - 1)
            best = min(best ?? r, r)
            i = nodes[Int(i)].next
        }
        return best
    }
}
