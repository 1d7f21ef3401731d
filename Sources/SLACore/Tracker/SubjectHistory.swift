// A subject's facts and cycle records, in one allocation.

/// The applied events (``Fact``, in history order) and the cycle records (``StageMark``) of
/// one subject, held in one heap allocation with copy-on-write value semantics.
///
/// Why not two arrays: each array is an allocation of its own with a 32-byte header, and the
/// allocator rounds each up; a million open tickets paid about 50 bytes each for the second
/// one. A change to a history another copy shares copies it at its exact size (the tracker
/// changes a copy of the state its table holds, so most changes copy anyway).
public struct SubjectHistory: @unchecked Sendable, Equatable {
    // @unchecked: `ManagedBuffer` is never `Sendable`; a storage is only written while this
    // value is its one owner (`makeRoom`), so a shared one is read-only, as an array's is.
    private var storage: Storage?

    /// An empty history (no allocation).
    init() {}

    /// The facts, in history order.
    public var facts: Facts { Facts(storage: storage, endIndex: Int(storage?.header.facts ?? 0)) }

    /// The cycle records.
    var marks: Marks { Marks(storage: storage, endIndex: Int(storage?.header.marks ?? 0)) }

    // The counts read from the header: a view (`facts`, `marks`) would hold the storage and
    // make the uniqueness check below fail while it lives.
    private var factCount: Int { Int(storage?.header.facts ?? 0) }
    private var markCount: Int { Int(storage?.header.marks ?? 0) }

    /// Inserts a fact before position `i`.
    mutating func insertFact(_ f: Fact, at i: Int) {
        let n = factCount
        precondition(i >= 0 && i <= n, "fact index out of range")
        makeRoom(facts: n + 1, marks: markCount)
        storage!.withUnsafeMutablePointers { c, words in
            let p = Storage.facts(words)
            (p + i + 1).moveInitialize(from: p + i, count: n - i)
            (p + i).initialize(to: f)
            c.pointee.facts += 1
        }
    }

    /// Replaces the cycle record at position `i`.
    mutating func setMark(_ m: StageMark, at i: Int) {
        precondition(i >= 0 && i < markCount, "mark index out of range")
        makeRoom(facts: factCount, marks: markCount)
        storage!.withUnsafeMutablePointers { c, words in Storage.marks(words, c.pointee)[i] = m }
    }

    /// Adds a cycle record after the others.
    mutating func appendMark(_ m: StageMark) {
        let n = markCount
        makeRoom(facts: factCount, marks: n + 1)
        storage!.withUnsafeMutablePointers { c, words in
            (Storage.marks(words, c.pointee) + n).initialize(to: m)
            c.pointee.marks += 1
        }
    }

    /// Replaces every cycle record.
    mutating func replaceMarks(with ms: [StageMark]) {
        let kept = facts
        var out = SubjectHistory()
        out.makeRoom(facts: kept.count, marks: ms.count)
        for (i, f) in kept.enumerated() { out.insertFact(f, at: i) }
        for m in ms { out.appendMark(m) }
        self = out
    }

    public static func == (a: SubjectHistory, b: SubjectHistory) -> Bool {
        a.storage === b.storage || (a.facts.elementsEqual(b.facts) && a.marks.elementsEqual(b.marks))
    }

    /// Makes the storage this value's own, with room for `nf` facts and `nm` records. A shared
    /// or new storage is allocated at exactly that size; a storage of its own that is too small
    /// grows by half again (the decoder and one event's evaluation add to it one by one).
    private mutating func makeRoom(facts nf: Int, marks nm: Int) {
        precondition(nf <= Int(UInt32.max) && nm <= Int(UInt32.max))
        let c = storage?.header ?? Counts()
        let unique = isKnownUniquelyReferenced(&storage)
        if unique, nf <= c.factCapacity, nm <= c.markCapacity { return }
        func size(_ need: Int, _ have: UInt32) -> UInt32 {
            guard unique else { return UInt32(need) }
            return need <= have ? have : UInt32(need > 4 ? max(need, Int(have) + Int(have) / 2) : need)
        }
        let fc = size(nf, c.factCapacity), mc = size(nm, c.markCapacity)
        let fresh = Storage.make(factCapacity: fc, markCapacity: mc)
        if let old = storage {
            fresh.withUnsafeMutablePointers { nc, nw in
                old.withUnsafeMutablePointers { oc, ow in
                    let (f, m) = (Int(oc.pointee.facts), Int(oc.pointee.marks))
                    if unique {
                        // Moved, not copied: the old storage is left empty for its deinit.
                        Storage.facts(nw).moveInitialize(from: Storage.facts(ow), count: f)
                        Storage.marks(nw, nc.pointee).moveInitialize(from: Storage.marks(ow, oc.pointee), count: m)
                        oc.pointee.facts = 0
                        oc.pointee.marks = 0
                    } else {
                        Storage.facts(nw).initialize(from: Storage.facts(ow), count: f)
                        Storage.marks(nw, nc.pointee).initialize(from: Storage.marks(ow, oc.pointee), count: m)
                    }
                    nc.pointee.facts = UInt32(f)
                    nc.pointee.marks = UInt32(m)
                }
            }
        }
        storage = fresh
    }

    /// How many of each the storage holds and has room for.
    struct Counts {
        var facts: UInt32 = 0
        var factCapacity: UInt32 = 0
        var marks: UInt32 = 0
        var markCapacity: UInt32 = 0
    }

    /// The allocation: the counts, then room for `factCapacity` facts, then for `markCapacity`
    /// records. Its words are never changed while two values share it.
    final class Storage: ManagedBuffer<Counts, UInt64> {
        /// A storage holding nothing, with room for this many facts and records.
        static func make(factCapacity fc: UInt32, markCapacity mc: UInt32) -> Storage {
            let bytes = Int(fc) * MemoryLayout<Fact>.stride + Int(mc) * MemoryLayout<StageMark>.stride
            let s = create(minimumCapacity: (bytes + 7) / 8) { _ in Counts(factCapacity: fc, markCapacity: mc) } as! Storage
            s.withUnsafeMutablePointerToElements { w in
                let raw = UnsafeMutableRawPointer(w)
                raw.bindMemory(to: Fact.self, capacity: Int(fc))
                (raw + Int(fc) * MemoryLayout<Fact>.stride).bindMemory(to: StageMark.self, capacity: Int(mc))
            }
            return s
        }

        deinit {
            withUnsafeMutablePointers { c, w in
                Storage.facts(w).deinitialize(count: Int(c.pointee.facts))
                Storage.marks(w, c.pointee).deinitialize(count: Int(c.pointee.marks))
            }
        }

        static func facts(_ w: UnsafeMutablePointer<UInt64>) -> UnsafeMutablePointer<Fact> {
            UnsafeMutableRawPointer(w).assumingMemoryBound(to: Fact.self)
        }

        static func marks(_ w: UnsafeMutablePointer<UInt64>, _ c: Counts) -> UnsafeMutablePointer<StageMark> {
            (UnsafeMutableRawPointer(w) + Int(c.factCapacity) * MemoryLayout<Fact>.stride).assumingMemoryBound(to: StageMark.self)
        }
    }

    /// The facts of a history, read in place.
    public struct Facts: RandomAccessCollection, @unchecked Sendable {
        // @unchecked: it reads a storage no one writes while it holds it (see above).
        fileprivate let storage: Storage?
        public let endIndex: Int
        public var startIndex: Int { 0 }

        /// An empty list.
        init() { storage = nil; endIndex = 0 }
        fileprivate init(storage: Storage?, endIndex: Int) { self.storage = storage; self.endIndex = endIndex }

        /// These facts as they are (for a history built by hand).
        init(_ facts: [Fact]) {
            var h = SubjectHistory()
            h.makeRoom(facts: facts.count, marks: 0)
            for f in facts { h.insertFact(f, at: h.factCount) }
            self = h.facts
        }

        public subscript(i: Int) -> Fact {
            precondition(i >= 0 && i < endIndex, "fact index out of range")
            return storage!.withUnsafeMutablePointerToElements { Storage.facts($0)[i] }
        }
    }

    /// The cycle records of a history, read in place.
    struct Marks: RandomAccessCollection {
        fileprivate let storage: Storage?
        let endIndex: Int
        var startIndex: Int { 0 }

        subscript(i: Int) -> StageMark {
            precondition(i >= 0 && i < endIndex, "mark index out of range")
            return storage!.withUnsafeMutablePointers { c, w in Storage.marks(w, c.pointee)[i] }
        }
    }
}
