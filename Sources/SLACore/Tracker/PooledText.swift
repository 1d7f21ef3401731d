// A name a fact carries, as its number in the text pool.

/// An optional text stored as 4 bytes: none, a number in a ``TextPool``, or a mark that the
/// pool was full and the owner keeps the text itself.
struct PooledText: Equatable, Sendable {
    private let raw: UInt32

    private init(raw: UInt32) { self.raw = raw }

    /// No text.
    static let none = PooledText(raw: 0)
    /// The pool was full: the owner keeps the text out of line.
    static let kept = PooledText(raw: .max)

    /// `text` in `pool`, and the text the owner must keep itself (only when the pool is full).
    static func of(_ text: String?, in pool: TextPool = .shared) -> (PooledText, kept: String?) {
        guard let text else { return (.none, nil) }
        guard let n = pool.number(of: text) else { return (.kept, text) }
        return (PooledText(raw: n + 1), nil)
    }

    /// Whether the owner keeps the text itself.
    var isKept: Bool { raw == .max }

    /// The pooled text (nil for none, and for one the owner keeps).
    func text(in pool: TextPool = .shared) -> String? {
        raw == 0 || raw == .max ? nil : pool.text(raw - 1)
    }
}
