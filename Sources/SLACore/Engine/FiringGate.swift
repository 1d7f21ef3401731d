// Paces timer firings so a restore after a long outage does not flood the ops desks' topic.

/// A token bucket in front of the timers: up to `rate` firings per second, the rest wait in
/// deadline order. In normal running a daemon fires far below the rate and nothing waits;
/// after downtime, the deadlines that passed meanwhile come out oldest first at the rate.
///
/// Time is passed in (milliseconds of any monotonic clock), so the pacing is a pure function
/// of the readings: the worker passes its monotonic clock, a test passes the instants it wants.
public struct FiringGate<Item> {
    /// Firings per second.
    public let rate: Int
    private var tokens: Double
    private var refilledAt: Int64
    private var backlog: [Item] = []
    private var head = 0

    /// A gate with a full bucket (a tenth of a second's worth, so small bursts pass at once).
    public init(rate: Int, now: Int64) {
        self.rate = rate
        tokens = max(1, Double(rate) / 10)
        refilledAt = now
    }

    /// Items waiting.
    public var waiting: Int { backlog.count - head }

    /// Queues items (they arrive in deadline order).
    public mutating func enqueue(_ items: some Sequence<Item>) { backlog.append(contentsOf: items) }

    /// Takes the items allowed to fire now; when some must wait, `retryAfterMilliseconds` says
    /// when to ask again.
    public mutating func take(now: Int64) -> (items: ArraySlice<Item>, retryAfterMilliseconds: Int?) {
        tokens = min(max(1, Double(rate) / 10), tokens + Double(now - refilledAt) * Double(rate) / 1000)
        refilledAt = now
        let n = min(waiting, Int(tokens))
        tokens -= Double(n)
        let out = backlog[head..<(head + n)]
        head += n
        if head == backlog.count {
            backlog.removeAll(keepingCapacity: true); head = 0
        } else if head > 4096, head * 2 > backlog.count {
            backlog.removeFirst(head); head = 0
        }
        guard waiting > 0 else { return (out, nil) }
        return (out, max(1, Int((1 - tokens) * 1000 / Double(rate)) + 1))
    }
}

