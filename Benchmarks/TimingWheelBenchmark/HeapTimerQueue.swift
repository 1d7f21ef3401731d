// The baselines: binary-heap timer queues with lazy cancellation (swift-collections Heap).

import HeapModule

/// What the benchmark needs of a baseline timer queue.
protocol BaselineTimerQueue {
    associatedtype Handle
    mutating func schedule(at deadline: Int64) -> Handle
    mutating func cancel(_ h: Handle)
    mutating func advance(to t: Int64, into out: inout [Int64])
    func nextDeadline() -> Int64?
    /// Bytes held for the timers scheduled so far (entries and side tables).
    var bytesHeld: Int { get }
}

/// Timers in a `Heap`; cancelling bumps the timer's generation in a dense array and popping
/// skips entries whose generation is stale. The tuned form of lazy cancellation.
struct HeapTimerQueue: BaselineTimerQueue {
    struct Entry: Comparable {
        var deadline: Int64
        var id: UInt32
        var generation: UInt32
        static func < (a: Entry, b: Entry) -> Bool { a.deadline < b.deadline }
    }

    private var heap = Heap<Entry>()
    /// Live generation per id; an entry whose generation differs was cancelled.
    private var live: [UInt32] = []
    private var freeIds: [UInt32] = []
    private(set) var count = 0

    /// Entries (16 B) plus the live-generation table (4 B per id).
    var bytesHeld: Int { heap.count * MemoryLayout<Entry>.stride + live.count * 4 }

    mutating func schedule(at deadline: Int64) -> (id: UInt32, generation: UInt32) {
        let id: UInt32
        if let f = freeIds.popLast() { id = f } else { id = UInt32(live.count); live.append(0) }
        heap.insert(Entry(deadline: deadline, id: id, generation: live[Int(id)]))
        count += 1
        return (id, live[Int(id)])
    }

    mutating func cancel(_ h: (id: UInt32, generation: UInt32)) {
        guard live[Int(h.id)] == h.generation else { return }
        live[Int(h.id)] &+= 1
        freeIds.append(h.id)
        count -= 1
    }

    mutating func advance(to t: Int64, into out: inout [Int64]) {
        while let top = heap.min, top.deadline <= t {
            heap.removeMin()
            guard live[Int(top.id)] == top.generation else { continue }
            live[Int(top.id)] &+= 1
            freeIds.append(top.id)
            count -= 1
            out.append(top.deadline)
        }
    }

    func nextDeadline() -> Int64? { heap.min?.deadline }
}

/// The textbook form: timers in a `Heap`, cancelled ids in a `Set` that popping consults.
struct SetCancelHeapTimerQueue: BaselineTimerQueue {
    private var heap = Heap<HeapTimerQueue.Entry>()
    private var cancelled = Set<UInt32>()
    private var nextId: UInt32 = 0
    private(set) var count = 0

    /// Entries (16 B); the cancelled set is empty while scheduling.
    var bytesHeld: Int { heap.count * MemoryLayout<HeapTimerQueue.Entry>.stride }

    mutating func schedule(at deadline: Int64) -> UInt32 {
        let id = nextId
        nextId &+= 1
        heap.insert(HeapTimerQueue.Entry(deadline: deadline, id: id, generation: 0))
        count += 1
        return id
    }

    mutating func cancel(_ id: UInt32) {
        if cancelled.insert(id).inserted { count -= 1 }
    }

    mutating func advance(to t: Int64, into out: inout [Int64]) {
        while let top = heap.min, top.deadline <= t {
            heap.removeMin()
            if cancelled.remove(top.id) != nil { continue }
            count -= 1
            out.append(top.deadline)
        }
    }

    func nextDeadline() -> Int64? { heap.min?.deadline }
}
