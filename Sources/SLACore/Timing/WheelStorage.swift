// The timing wheel's memory: a slab of nodes and payloads and one index vector per slot, behind raw pointers.

#if canImport(Glibc)
import Glibc
#endif

/// A timer's place in the wheel: 16 bytes besides the payload, four to a cache line.
@usableFromInline
struct WheelNode {
    @usableFromInline var deadline: Int64
    /// Its index in its list's vector; for a free node, the next free node.
    @usableFromInline var pos: UInt32
    /// The list (low 9 bits; ``WheelGeometry/freeList`` when free) and the generation (high
    /// 23 bits). A handle is mistaken for a newer timer only if its node was reused 2^23 times
    /// while the handle was kept.
    @usableFromInline var tag: UInt32

    @inlinable var list: UInt32 {
        get { tag & 0x1FF }
        set { tag = (tag & ~0x1FF) | newValue }
    }
    @inlinable var generation: UInt32 { tag >> 9 }

    @inlinable init(deadline: Int64, list: UInt32, pos: UInt32, generation: UInt32) {
        self.deadline = deadline; self.pos = pos; self.tag = (generation & 0x7F_FFFF) << 9 | list
    }
}

/// The node indices of one slot (or the past or overflow list), in a growable buffer.
///
/// A vector rather than a linked list: walking a slot then issues independent loads that the
/// processor overlaps, where following `next` links waits out one cache miss after another.
@usableFromInline
struct IndexList {
    @usableFromInline var items: UnsafeMutablePointer<UInt32>?
    @usableFromInline var count: UInt32 = 0
    @usableFromInline var capacity: UInt32 = 0

    @inlinable init() {}

    /// Appends an index and returns its position.
    @inlinable
    mutating func append(_ i: UInt32) -> UInt32 {
        if count == capacity {
            let bigger = max(capacity * 2, 8)
            let p = UnsafeMutablePointer<UInt32>.allocate(capacity: Int(bigger))
            if let items { p.moveInitialize(from: items, count: Int(count)); items.deallocate() }
            items = p
            capacity = bigger
        }
        items![Int(count)] = i
        count += 1
        return count - 1
    }

    /// Frees the buffer of an emptied list unless it is small enough to keep for reuse.
    @inlinable
    mutating func releaseIfLarge() {
        if capacity > 1024 { items?.deallocate(); items = nil; capacity = 0 }
    }
}

/// Storage for ``TimingWheel``: raw buffers, so a schedule or cancel pays one uniqueness check
/// (in the wheel) instead of one per element written, and no bounds checks on the hot path.
/// The wheel keeps every node index it uses below ``used``.
@usableFromInline
final class WheelStorage<Payload: BitwiseCopyable> {
    /// The mutable scalars and buffer pointers, behind one pointer: a class's stored `var`s are
    /// checked for exclusive access at run time on every use, a `let` pointer's target is not.
    @usableFromInline
    struct Header {
        @usableFromInline var nodes: UnsafeMutablePointer<WheelNode>
        @usableFromInline var payloads: UnsafeMutablePointer<Payload>
        @usableFromInline var capacity: Int
        @usableFromInline var used = 0
        @usableFromInline var freeHead = WheelGeometry.none
        @usableFromInline var now: Int64
        @usableFromInline var count = 0
    }

    @usableFromInline let header: UnsafeMutablePointer<Header>
    @usableFromInline let lists: UnsafeMutablePointer<IndexList>
    @usableFromInline let occupied: UnsafeMutablePointer<UInt64>

    @inlinable var nodes: UnsafeMutablePointer<WheelNode> { header.pointee.nodes }
    @inlinable var payloads: UnsafeMutablePointer<Payload> { header.pointee.payloads }
    @inlinable var capacity: Int { header.pointee.capacity }
    /// Nodes handed out so far (free or not); indices below this are initialised.
    @inlinable var used: Int { get { header.pointee.used } set { header.pointee.used = newValue } }
    @inlinable var freeHead: UInt32 { get { header.pointee.freeHead } set { header.pointee.freeHead = newValue } }
    @inlinable var now: Int64 { get { header.pointee.now } set { header.pointee.now = newValue } }
    @inlinable var count: Int { get { header.pointee.count } set { header.pointee.count = newValue } }

    @usableFromInline
    init(now: Int64, capacity: Int) {
        let cap = max(capacity, 16)
        header = .allocate(capacity: 1)
        header.initialize(to: Header(nodes: Self.allocateSlab(cap), payloads: .allocate(capacity: cap), capacity: cap, now: now))
        lists = .allocate(capacity: WheelGeometry.lists)
        lists.initialize(repeating: IndexList(), count: WheelGeometry.lists)
        occupied = .allocate(capacity: WheelGeometry.levels)
        occupied.initialize(repeating: 0, count: WheelGeometry.levels)
    }

    /// Allocates node storage. A large slab is 2 MiB-aligned and offered huge pages: firing a
    /// busy millisecond touches nodes all over the slab, and with 4 KiB pages nearly every one
    /// of those reads also misses the TLB.
    @usableFromInline
    static func allocateSlab(_ count: Int) -> UnsafeMutablePointer<WheelNode> {
        let bytes = count * MemoryLayout<WheelNode>.stride
        #if canImport(Glibc)
        let huge = 2 << 20
        if bytes >= huge {
            var raw: UnsafeMutableRawPointer?
            let rounded = (bytes + huge - 1) / huge * huge
            if posix_memalign(&raw, huge, rounded) == 0, let raw {
                _ = madvise(raw, rounded, MADV_HUGEPAGE)
                return raw.bindMemory(to: WheelNode.self, capacity: count)
            }
        }
        #endif
        return .allocate(capacity: count)
    }

    deinit {
        for l in 0..<WheelGeometry.lists { lists[l].items?.deallocate() }
        nodes.deallocate(); payloads.deallocate(); header.deallocate()
        lists.deallocate(); occupied.deallocate()
    }

    /// Bytes of the slot vectors.
    @usableFromInline
    var listBytes: Int {
        var total = 0
        for l in 0..<WheelGeometry.lists { total += Int(lists[l].capacity) * 4 }
        return total
    }

    /// A deep copy, for copy-on-write.
    @usableFromInline
    func copy() -> WheelStorage {
        let c = WheelStorage(now: now, capacity: capacity)
        c.nodes.initialize(from: nodes, count: used)
        c.payloads.initialize(from: payloads, count: used)
        for l in 0..<WheelGeometry.lists where lists[l].count > 0 {
            for k in 0..<Int(lists[l].count) { _ = c.lists[l].append(lists[l].items![k]) }
        }
        c.occupied.update(from: occupied, count: WheelGeometry.levels)
        c.used = used; c.freeHead = freeHead; c.count = count
        return c
    }

    /// Doubles the slab.
    @usableFromInline
    func grow() {
        precondition(capacity < Int(WheelGeometry.none) / 2, "timing wheel full")
        let bigger = capacity * 2
        let n = Self.allocateSlab(bigger)
        n.moveInitialize(from: nodes, count: used)
        nodes.deallocate()
        let p = UnsafeMutablePointer<Payload>.allocate(capacity: bigger)
        p.moveInitialize(from: payloads, count: used)
        payloads.deallocate()
        header.pointee.nodes = n
        header.pointee.payloads = p
        header.pointee.capacity = bigger
    }
}
