// The timing wheel's memory: one slab of nodes and payloads and the slot tables, behind raw pointers.

/// A timer's place in the wheel: 24 bytes, the wheel's whole per-timer cost besides the payload.
@usableFromInline
struct WheelNode {
    @usableFromInline var deadline: Int64
    @usableFromInline var next: UInt32
    @usableFromInline var prev: UInt32
    /// The list the node is on, or ``WheelGeometry/freeList`` when free.
    @usableFromInline var list: UInt32
    @usableFromInline var generation: UInt32

    @inlinable init(deadline: Int64, next: UInt32, prev: UInt32, list: UInt32, generation: UInt32) {
        self.deadline = deadline; self.next = next; self.prev = prev; self.list = list; self.generation = generation
    }
}

/// Storage for ``TimingWheel``: raw buffers, so a schedule or cancel pays one uniqueness check
/// (in the wheel) instead of one per element written, and no bounds checks on the hot path.
/// The wheel keeps every index it uses below ``used``.
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
    @usableFromInline let heads: UnsafeMutablePointer<UInt32>
    @usableFromInline let tails: UnsafeMutablePointer<UInt32>
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
        header.initialize(to: Header(nodes: .allocate(capacity: cap), payloads: .allocate(capacity: cap), capacity: cap, now: now))
        heads = .allocate(capacity: WheelGeometry.lists)
        heads.initialize(repeating: WheelGeometry.none, count: WheelGeometry.lists)
        tails = .allocate(capacity: WheelGeometry.lists)
        tails.initialize(repeating: WheelGeometry.none, count: WheelGeometry.lists)
        occupied = .allocate(capacity: WheelGeometry.levels)
        occupied.initialize(repeating: 0, count: WheelGeometry.levels)
    }

    deinit {
        nodes.deallocate(); payloads.deallocate(); header.deallocate()
        heads.deallocate(); tails.deallocate(); occupied.deallocate()
    }

    /// A deep copy, for copy-on-write.
    @usableFromInline
    func copy() -> WheelStorage {
        let c = WheelStorage(now: now, capacity: capacity)
        c.nodes.initialize(from: nodes, count: used)
        c.payloads.initialize(from: payloads, count: used)
        c.heads.update(from: heads, count: WheelGeometry.lists)
        c.tails.update(from: tails, count: WheelGeometry.lists)
        c.occupied.update(from: occupied, count: WheelGeometry.levels)
        c.used = used; c.freeHead = freeHead; c.count = count
        return c
    }

    /// Doubles the slab.
    @usableFromInline
    func grow() {
        precondition(capacity < Int(WheelGeometry.none) / 2, "timing wheel full")
        let bigger = capacity * 2
        let n = UnsafeMutablePointer<WheelNode>.allocate(capacity: bigger)
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
