// A hash that is the same in every process and on every machine (Swift's Hasher is seeded per process).

/// FNV-1a, 64 bits: identifies a policy or calendar file's content across instances of a group.
public enum StableHash {
    /// The hash of some bytes.
    public static func fnv1a<S: Sequence>(_ bytes: S, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 where S.Element == UInt8 {
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The hash of a text's UTF-8.
    public static func of(_ text: String) -> UInt64 { fnv1a(text.utf8) }

    /// Sixteen lowercase hex digits.
    public static func hex(_ h: UInt64) -> String {
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
