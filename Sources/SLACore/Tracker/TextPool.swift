// Texts many facts repeat, kept once per process.

import Foundation

/// The units, agents and feeders facts name, each kept once per process under a 4-byte number.
///
/// Why: a ``Fact`` is kept for every applied event of every open ticket, and its three names
/// were 48 of its 80 bytes (a `String` is 16 bytes inline). The same few thousand names recur
/// across millions of facts; a fact now stores their numbers (``PooledText``).
///
/// A number is never taken back: a text stays until the process ends. So that input cannot
/// grow the pool without bound, it holds at most ``limit`` texts; a fact whose text finds it
/// full keeps that text itself. That costs the fact memory, never its meaning.
final class TextPool: @unchecked Sendable {
    // @unchecked: `numbers` and `count` change only under `lock`. A text's slot is written
    // once, under the lock, before its number is handed out, and read (without the lock) only
    // by code that got that number, so after the write; a chunk never moves once allocated.

    /// The pool facts use.
    static let shared = TextPool(limit: 1 << 18)

    /// Most texts held.
    let limit: Int
    private static let chunkBits = 12
    private static let chunkSize = 1 << chunkBits
    private let lock = NSLock()
    private var numbers: [String: UInt32] = [:]
    private var count = 0
    /// Texts by number, in chunks of `chunkSize` allocated as needed.
    private let chunks: UnsafeMutablePointer<UnsafeMutablePointer<String>?>
    private let chunkCount: Int

    /// An empty pool of at most `limit` texts.
    init(limit: Int) {
        precondition(limit > 0 && limit < Int(UInt32.max) - 1)
        self.limit = limit
        chunkCount = (limit + Self.chunkSize - 1) / Self.chunkSize
        chunks = .allocate(capacity: chunkCount)
        chunks.initialize(repeating: nil, count: chunkCount)
    }

    deinit {
        for c in 0..<chunkCount {
            guard let chunk = chunks[c] else { continue }
            chunk.deinitialize(count: min(Self.chunkSize, count - c * Self.chunkSize))
            chunk.deallocate()
        }
        chunks.deallocate()
    }

    /// Texts held.
    var held: Int { lock.withLock { count } }

    /// The number of `text`, given on first sight; nil when the pool is full and lacks it.
    func number(of text: String) -> UInt32? {
        lock.withLock {
            if let n = numbers[text] { return n }
            guard count < limit else { return nil }
            let n = count
            let c = n >> Self.chunkBits
            if chunks[c] == nil { chunks[c] = .allocate(capacity: Self.chunkSize) }
            (chunks[c]! + (n & (Self.chunkSize - 1))).initialize(to: text)
            numbers[text] = UInt32(n)
            count += 1
            return UInt32(n)
        }
    }

    /// The text numbered `n`, a number this pool gave.
    func text(_ n: UInt32) -> String {
        chunks[Int(n) >> Self.chunkBits]![Int(n) & (Self.chunkSize - 1)]
    }
}
