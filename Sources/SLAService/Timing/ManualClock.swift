// A clock moved by hand, for tests.

import Foundation
import SLACore

/// A clock that stands still until ``advance(to:)`` moves it.
public final class ManualClock: SLAClock, @unchecked Sendable {
    // Guarded by `lock`: tests move the clock from their own thread while the driver reads it.
    private let lock = NSLock()
    private var current: Timestamp
    private var callbacks: [@Sendable () -> Void] = []

    /// A clock reading `start`.
    public init(start: Timestamp) { current = start }

    public func now() -> Timestamp { lock.withLock { current } }
    public func realMilliseconds(until t: Timestamp) -> Int64? { nil }
    public func onJump(_ callback: @escaping @Sendable () -> Void) { lock.withLock { callbacks.append(callback) } }

    /// Moves the clock forward to `t` (never back) and tells the observers.
    public func advance(to t: Timestamp) {
        let observers = lock.withLock { () -> [@Sendable () -> Void] in
            current = max(current, t)
            return callbacks
        }
        for o in observers { o() }
    }
}
