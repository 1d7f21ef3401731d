import Dispatch
import Foundation
@testable import SLACore
import Testing

@Suite struct TextPoolTests {
    /// Numbers worked out by hand: texts are numbered 0, 1, 2 … in order of first sight; a text
    /// seen again keeps its number; a full pool still finds what it holds and refuses the rest.
    @Test func textsAreNumberedOnFirstSightUpToTheLimit() {
        let pool = TextPool(limit: 3)
        #expect(pool.number(of: "35401") == 0)
        #expect(pool.number(of: "agent-7") == 1)
        #expect(pool.number(of: "35401") == 0)
        #expect(pool.number(of: "") == 2)
        #expect(pool.number(of: "F-10kV-0042") == nil)
        #expect(pool.number(of: "agent-7") == 1 && pool.held == 3)
        #expect(pool.text(0) == "35401" && pool.text(1) == "agent-7" && pool.text(2) == "")
    }

    /// Past the first chunk of 4 096 texts, and with long texts, every number reads back its text.
    @Test func everyNumberReadsBackItsTextAcrossChunks() {
        let pool = TextPool(limit: 10_000)
        let texts = (0..<9_000).map { "供电所 \($0) " + String(repeating: "x", count: $0 % 40) }
        let numbers = texts.map { pool.number(of: $0) }
        #expect(numbers == (0..<9_000).map { UInt32($0) })
        #expect(texts.indices.allSatisfy { pool.text(UInt32($0)) == texts[$0] })
    }

    /// Four threads asking for the same 2 000 texts in different orders: each text gets one
    /// number, and each number reads back its own text on every thread.
    @Test func threadsAgreeOnEveryNumber() {
        let pool = TextPool(limit: 5_000)
        let texts = (0..<2_000).map { "U\($0)" }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            var mine = [UInt32](repeating: 0, count: texts.count)
            for k in 0..<texts.count {
                let i = t % 2 == 0 ? k : texts.count - 1 - k
                let n = pool.number(of: texts[i])!
                precondition(pool.text(n) == texts[i])
                mine[i] = n
            }
            results.put(t, mine)
        }
        let all = results.all
        for i in texts.indices {
            let ns = all.map { $0[i] }
            #expect(ns.count == 4 && Set(ns).count == 1 && pool.text(ns[0]) == texts[i])
        }
        #expect(pool.held == texts.count)
    }
}

/// What each thread found, under a lock.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var byThread: [Int: [UInt32]] = [:]
    func put(_ t: Int, _ v: [UInt32]) { lock.withLock { byThread[t] = v } }
    var all: [[UInt32]] { lock.withLock { byThread.sorted { $0.key < $1.key }.map(\.value) } }
}
