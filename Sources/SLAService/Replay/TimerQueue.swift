// One pending timer per subject, in deadline order (a heap with lazy cancellation).

import HeapModule
import SLACore

/// Pending subject timers for the virtual clock of replay.
///
/// Re-arming or cancelling leaves the old heap entry in place; it is skipped when popped
/// because ``armed`` no longer names it. The daemon's timing wheel replaces this where
/// millions of timers are live.
struct TimerQueue {
    private struct Entry: Comparable {
        var at: Timestamp
        var subject: SubjectID
        static func < (a: Entry, b: Entry) -> Bool {
            if a.at != b.at { return a.at < b.at }
            if a.subject.type != b.subject.type { return a.subject.type == .outage }
            return a.subject.id < b.subject.id
        }
    }

    private var heap = Heap<Entry>()
    private var armed: [SubjectID: Timestamp] = [:]

    /// Number of armed timers.
    var count: Int { armed.count }

    /// Arms (or re-arms) a subject's timer.
    mutating func schedule(_ s: SubjectID, at: Timestamp) {
        armed[s] = at
        heap.insert(Entry(at: at, subject: s))
    }

    /// Disarms a subject's timer.
    mutating func cancel(_ s: SubjectID) { armed[s] = nil }

    /// Removes and returns the earliest armed timer due at or before `t`.
    mutating func popDue(notAfter t: Timestamp) -> (SubjectID, Timestamp)? {
        while let top = heap.min, top.at <= t {
            heap.removeMin()
            if armed[top.subject] == top.at {
                armed[top.subject] = nil
                return (top.subject, top.at)
            }
        }
        return nil
    }
}
