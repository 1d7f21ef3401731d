// A reload asked for from any thread and applied by the poll thread between two polls.

import Foundation
import SLACore

/// Holds the one reload waiting for the poll thread: a later one supersedes it (the earlier
/// caller hears so), and one left when the worker stops is refused, so no caller waits forever.
final class ReloadMailbox: @unchecked Sendable {
    // @unchecked: `waiting` is guarded by `lock`.

    /// New files and the callback waiting for their summary.
    struct Reload {
        var policy: Policy
        var calendar: BusinessCalendar
        var done: @Sendable (Result<ReloadSummary, ReloadRefusal>) -> Void
    }

    private let lock = NSLock()
    private var waiting: Reload?

    /// Leaves `reload` for the poll thread; the one it replaces is refused as superseded.
    func post(_ reload: Reload) {
        let replaced = lock.withLock { () -> Reload? in
            defer { waiting = reload }
            return waiting
        }
        replaced?.done(.failure(ReloadRefusal("superseded by a later reload before it was applied")))
    }

    /// The reload waiting, taken out of the box.
    func take() -> Reload? { lock.withLock { defer { waiting = nil }; return waiting } }

    /// Refuses a reload still waiting (the worker stopped before it could apply it).
    func refuseWaiting() {
        take()?.done(.failure(ReloadRefusal("the worker stopped before it could apply the new files")))
    }
}
