// Makes the next input from the seeds and the inputs kept so far, by small damaging edits.

import SLACore

/// A seeded source of mutated inputs: the same seed gives the same sequence.
struct Mutator {
    private var rng: SplitMix64
    private var pool: [[UInt8]]
    /// Bytes that mean something to JSON or YAML parsers.
    private static let specials = Array(":-[]{},#&*!|>'\"%@`\\ \n\t0123456789.eE+truefalsnl".utf8)
    /// Whole tokens worth inserting: structure, extremes, escapes.
    private static let tokens: [[UInt8]] = [
        "[", "{", "]]]]]]", "{\"a\":", "null", "true", "-0", "1e999", "-9223372036854775809", "18446744073709551616",
        "\"\\ud800\"", "\"\\u0000\"", "\u{FEFF}", "\"occurred_at\":\"2026-02-30T25:61:00+08:00\"", ": &a [*a, *a]", "!!binary",
        "- ", "  - id: x\n", String(repeating: "[", count: 600), String(repeating: "9", count: 400), "\u{7F}", "\u{C0}",
    ].map { Array($0.utf8) }

    init(seed: UInt64, seeds: [[UInt8]]) {
        rng = SplitMix64(seed: seed)
        pool = seeds.filter { !$0.isEmpty }
        if pool.isEmpty { pool = [Array("{}".utf8)] }
    }

    /// Keeps an input whose outcome was new: later mutations start from it too.
    mutating func add(_ input: [UInt8]) { if pool.count < 5000 { pool.append(input) } }

    mutating func next() -> [UInt8] {
        var b = pool[Int.random(in: 0..<pool.count, using: &rng)]
        // Mostly one edit, sometimes a few: near-valid inputs reach deeper than wrecks.
        for _ in 0..<[1, 1, 1, 2, 2, 3, 5].randomElement(using: &rng)! {
            let i = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<9, using: &rng) {
            case 0 where !b.isEmpty: b[i] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1 where !b.isEmpty: b[i] = Self.specials.randomElement(using: &rng)!
            case 2 where !b.isEmpty: b.remove(at: i)
            case 3: b.insert(Self.specials.randomElement(using: &rng)!, at: i)
            case 4: b.insert(contentsOf: Self.tokens.randomElement(using: &rng)!, at: i)
            case 5 where b.count > 1: b.removeSubrange(i..<min(b.count, i + Int.random(in: 1...32, using: &rng)))
            case 6 where !b.isEmpty:  // duplicate a stretch: repeated keys, repeated entries
                let end = min(b.count, i + Int.random(in: 1...64, using: &rng))
                b.insert(contentsOf: b[i..<end], at: end)
            case 7:  // splice another input in
                let other = pool[Int.random(in: 0..<pool.count, using: &rng)]
                let j = Int.random(in: 0...other.count, using: &rng)
                b = Array(b[..<i]) + Array(other[j...])
            default:
                if b.count > 1 { b = Array(b[..<i]) }  // truncate
            }
        }
        return b
    }
}
