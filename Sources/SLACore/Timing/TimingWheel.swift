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
/// Nodes live in one contiguous slab with a free list: scheduling reuses a free node and
/// allocates only when the slab (or a slot's index vector) grows. Each slot holds its timers
/// as a vector of node indices; a node knows its position there, so cancelling is a
/// swap-remove. Each level keeps a 64-bit occupancy map, so finding the next non-empty slot is
/// a count of trailing zeros.
///
/// A value type with copy-on-write storage. Not thread-safe: one owner (in slawatch, the
/// worker's serial queue) uses it.
public struct TimingWheel<Payload: BitwiseCopyable> {
    @usableFromInline var s: WheelStorage<Payload>

    /// An empty wheel whose time starts at `now` (milliseconds, not negative); `capacity`
    /// nodes are reserved up front.
    @inlinable
    public init(now: Int64, capacity: Int = 0) {
        precondition(now >= 0, "the wheel counts milliseconds from the epoch")
        s = WheelStorage(now: now, capacity: capacity)
    }

    /// The wheel's current time: every deadline at or before it has been returned.
    @inlinable public var now: Int64 { s.now }
    /// Timers pending.
    @inlinable public var count: Int { s.count }

    /// Bytes the wheel holds for its slab and slot tables (payload storage included).
    @inlinable
    public var memoryFootprint: Int {
        s.capacity * (MemoryLayout<WheelNode>.stride + MemoryLayout<Payload>.stride)
            + s.listBytes + WheelGeometry.lists * MemoryLayout<IndexList>.stride + WheelGeometry.levels * 8
    }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&s) { s = s.copy() }
    }

    /// Schedules a timer. A deadline at or before ``now`` fires at the next ``advance(to:into:)``.
    @inlinable
    public mutating func schedule(at deadline: Int64, _ payload: Payload) -> TimerHandle {
        makeUnique()
        let s = self.s
        let list = Self.list(for: deadline, now: s.now)
        let i: UInt32
        let generation: UInt32
        if s.freeHead != WheelGeometry.none {
            i = s.freeHead
            s.freeHead = s.nodes[Int(i)].pos
            generation = s.nodes[Int(i)].generation
            s.payloads[Int(i)] = payload
        } else {
            if s.used == s.capacity { s.grow() }
            i = UInt32(s.used)
            generation = 0
            (s.payloads + Int(i)).initialize(to: payload)
            s.used += 1
        }
        let pos = Self.add(s, i, to: list)
        // A fresh slab slot is raw memory: initialise rather than assign.
        (s.nodes + Int(i)).initialize(to: WheelNode(deadline: deadline, list: list, pos: pos, generation: generation))
        s.count += 1
        return TimerHandle(index: i, generation: generation)
    }

    /// Cancels a pending timer; false (and nothing changes) when the handle is stale.
    @inlinable @discardableResult
    public mutating func cancel(_ h: TimerHandle) -> Bool {
        guard Int(h.index) < s.used else { return false }
        let n = s.nodes[Int(h.index)]
        guard n.generation == h.generation, n.list != WheelGeometry.freeList else { return false }
        makeUnique()
        let s = self.s
        Self.remove(s, n)
        Self.release(s, h.index, n)
        return true
    }

    /// The deadline of a pending timer, nil when the handle is stale.
    @inlinable
    public func deadline(of h: TimerHandle) -> Int64? {
        guard Int(h.index) < s.used else { return nil }
        let n = s.nodes[Int(h.index)]
        return n.generation == h.generation && n.list != WheelGeometry.freeList ? n.deadline : nil
    }

    /// When the wheel next needs to run: the earliest pending deadline, or earlier, the start
    /// of a higher-level slot that must cascade first. Nil when no timer is pending. A driver
    /// arms its one system timer for this instant and never ticks in between.
    @inlinable
    public func nextWakeup() -> Int64? {
        if s.lists[Int(WheelGeometry.pastList)].count > 0 { return s.now }
        var best: Int64?
        for level in 0..<WheelGeometry.levels {
            if let t = Self.nextSlotStart(s, level: level) { best = min(best ?? t, t) }
        }
        if let t = Self.overflowReentry(s) { best = min(best ?? t, t) }
        return best
    }

    /// The exact earliest pending deadline. It reads the first occupied slot of each level,
    /// so it costs the length of those lists; drivers use ``nextWakeup()``.
    public func earliestDeadline() -> Int64? {
        var best: Int64?
        func scan(_ list: Int) {
            let l = s.lists[list]
            for k in 0..<Int(l.count) {
                let d = s.nodes[Int(l.items![k])].deadline
                best = min(best ?? d, d)
            }
        }
        scan(Int(WheelGeometry.pastList))
        scan(Int(WheelGeometry.overflowList))
        for level in 0..<WheelGeometry.levels where s.occupied[level] != 0 {
            scan(level * WheelGeometry.slotsPerLevel + s.occupied[level].trailingZeroBitCount)
        }
        return best
    }

    /// Moves the wheel's time to `t` and appends every timer with deadline ≤ `t` to `out`,
    /// in deadline order (timers with equal deadlines in no promised order).
    @inlinable
    public mutating func advance(to t: Int64, into out: inout [ExpiredTimer<Payload>]) {
        guard t >= s.now else { return }
        makeUnique()
        let s = self.s
        Self.firePast(s, into: &out)
        while true {
            var best: (time: Int64, level: Int)?
            for level in 0..<WheelGeometry.levels {
                if let st = Self.nextSlotStart(s, level: level), st <= t, best.map({ st < $0.time }) ?? true { best = (st, level) }
            }
            if let r = Self.overflowReentry(s), r <= t, best.map({ r < $0.time }) ?? true {
                s.now = r
                Self.reinsert(s, list: Int(WheelGeometry.overflowList))
                continue
            }
            guard let (time, level) = best else { break }
            s.now = time
            let slot = Int((time >> (Int64(level) * WheelGeometry.slotBits)) & 63)
            let list = level * WheelGeometry.slotsPerLevel + slot
            if level == 0 {
                let l = s.lists[list]
                for k in 0..<Int(l.count) {
                    let i = l.items![k]
                    let n = s.nodes[Int(i)]
                    out.append(ExpiredTimer(handle: TimerHandle(index: i, generation: n.generation), deadline: n.deadline, payload: s.payloads[Int(i)]))
                    Self.release(s, i, n)
                }
                s.lists[list].count = 0
                s.lists[list].releaseIfLarge()
                s.occupied[0] &= ~(1 << UInt64(slot))
            } else {
                Self.reinsert(s, list: list)
            }
        }
        s.now = t
    }

    /// Convenience form of ``advance(to:into:)`` returning a new array.
    @inlinable
    public mutating func advance(to t: Int64) -> [ExpiredTimer<Payload>] {
        var out: [ExpiredTimer<Payload>] = []
        advance(to: t, into: &out)
        return out
    }

    // MARK: lists (static, on the storage, so no copy-on-write check repeats inside a step)

    /// The list a deadline belongs on, relative to `now`: a level's slot, or the past or overflow list.
    @inlinable
    static func list(for d: Int64, now: Int64) -> UInt32 {
        if d < now { return WheelGeometry.pastList }
        let diff = d ^ now
        if diff >= WheelGeometry.span { return WheelGeometry.overflowList }
        // The highest bit where deadline and now differ picks the level (Tokio's rule);
        // or-ing 63 makes equal times land on level 0.
        let significant = 63 - Int64((diff | 63).leadingZeroBitCount)
        let level = significant / WheelGeometry.slotBits
        let slot = (d >> (level * WheelGeometry.slotBits)) & 63
        return UInt32(level << 6 | slot)
    }

    /// Appends node index `i` to a list and marks the slot occupied; returns its position.
    @inlinable
    static func add(_ s: WheelStorage<Payload>, _ i: UInt32, to list: UInt32) -> UInt32 {
        let l = Int(list)
        if list < WheelGeometry.pastList { s.occupied[l >> 6] |= 1 << UInt64(l & 63) }
        return s.lists[l].append(i)
    }

    /// Takes a node (as read) off its list: the list's last index moves into its place.
    @inlinable
    static func remove(_ s: WheelStorage<Payload>, _ n: WheelNode) {
        let l = Int(n.list)
        let last = s.lists[l].count - 1
        if n.pos != last {
            let moved = s.lists[l].items![Int(last)]
            s.lists[l].items![Int(n.pos)] = moved
            s.nodes[Int(moved)].pos = n.pos
        }
        s.lists[l].count = last
        if last == 0, n.list < WheelGeometry.pastList { s.occupied[l >> 6] &= ~(1 << UInt64(l & 63)) }
    }

    /// Returns node `i` (as read) to the free list; its generation moves on so old handles go stale.
    @inlinable
    static func release(_ s: WheelStorage<Payload>, _ i: UInt32, _ n: WheelNode) {
        s.nodes[Int(i)] = WheelNode(deadline: n.deadline, list: WheelGeometry.freeList, pos: s.freeHead, generation: (n.generation &+ 1) & 0x7F_FFFF)
        s.freeHead = i
        s.count -= 1
    }

    /// Empties a list and places each of its nodes again (cascade, overflow re-entry).
    @inlinable
    static func reinsert(_ s: WheelStorage<Payload>, list: Int) {
        // Detach the vector first: a cascading slot's nodes all move lower, but an overflow
        // node still out of range goes back onto the overflow list itself.
        var old = s.lists[list]
        s.lists[list] = IndexList()
        if list < Int(WheelGeometry.pastList) { s.occupied[list >> 6] &= ~(1 << UInt64(list & 63)) }
        for k in 0..<Int(old.count) {
            let i = old.items![k]
            let newList = Self.list(for: s.nodes[Int(i)].deadline, now: s.now)
            let pos = add(s, i, to: newList)
            s.nodes[Int(i)].list = newList
            s.nodes[Int(i)].pos = pos
        }
        old.count = 0
        if old.capacity > 1024 || s.lists[list].count > 0 { old.items?.deallocate() } else {
            s.lists[list].items?.deallocate()
            s.lists[list] = old  // keep a small buffer for reuse
        }
    }

    /// Deadlines that were already past when scheduled fire first, in deadline order.
    @inlinable
    static func firePast(_ s: WheelStorage<Payload>, into out: inout [ExpiredTimer<Payload>]) {
        let list = Int(WheelGeometry.pastList)
        let l = s.lists[list]
        guard l.count > 0 else { return }
        var batch: [ExpiredTimer<Payload>] = []
        batch.reserveCapacity(Int(l.count))
        for k in 0..<Int(l.count) {
            let i = l.items![k]
            let n = s.nodes[Int(i)]
            batch.append(ExpiredTimer(handle: TimerHandle(index: i, generation: n.generation), deadline: n.deadline, payload: s.payloads[Int(i)]))
            release(s, i, n)
        }
        s.lists[list].count = 0
        // Ties keep list order through the enumerated index.
        out += batch.enumerated().sorted { ($0.element.deadline, $0.offset) < ($1.element.deadline, $1.offset) }.map(\.element)
    }

    /// Start time of the first occupied slot of a level. Occupied slots never lie behind the
    /// current one at their level: their higher digits equal now's, so the slot's start keeps
    /// now's higher digits.
    @inlinable
    static func nextSlotStart(_ s: WheelStorage<Payload>, level: Int) -> Int64? {
        let bits = s.occupied[level]
        guard bits != 0 else { return nil }
        let shift = Int64(level) * WheelGeometry.slotBits
        let levelRange = shift + WheelGeometry.slotBits
        let base = (s.now >> levelRange) << levelRange
        return base + (Int64(bits.trailingZeroBitCount) << shift)
    }

    /// When the earliest overflow timer comes within the wheel's span (a rare list: deadlines
    /// more than two years ahead).
    @inlinable
    static func overflowReentry(_ s: WheelStorage<Payload>) -> Int64? {
        let l = s.lists[Int(WheelGeometry.overflowList)]
        var best: Int64?
        for k in 0..<Int(l.count) {
            let r = s.nodes[Int(l.items![k])].deadline & ~(WheelGeometry.span - 1)
            best = min(best ?? r, r)
        }
        return best
    }
}

/// The wheel's fixed shape. A non-generic namespace, so using a constant never needs the
/// generic type's metadata.
@usableFromInline
enum WheelGeometry {
    @inlinable static var levels: Int { 6 }
    @inlinable static var slotBits: Int64 { 6 }
    @inlinable static var slotsPerLevel: Int { 64 }
    /// Slot lists plus the past and overflow lists.
    @inlinable static var lists: Int { levels * slotsPerLevel + 2 }
    /// The span the levels cover; deadlines at least this far ahead go to the overflow list.
    @inlinable static var span: Int64 { 1 << 36 }
    @inlinable static var none: UInt32 { .max }
    @inlinable static var pastList: UInt32 { UInt32(levels * slotsPerLevel) }
    @inlinable static var overflowList: UInt32 { pastList + 1 }
    /// Fits the node's 9-bit list field.
    @inlinable static var freeList: UInt32 { 0x1FF }
}
