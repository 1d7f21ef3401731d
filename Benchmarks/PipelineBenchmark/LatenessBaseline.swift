// The lateness baseline: one DispatchQueue.asyncAfter per probe, for the same deadline.

import Dispatch
import Foundation
import SLACore
import SLAService

/// Fires a Dispatch timer at each probe's deadline and keeps fired − deadline, in seconds.
final class LatenessBaseline: @unchecked Sendable {
    // @unchecked: `kept` is guarded by `lock`.
    private let lock = NSLock()
    private var kept: [Double] = []
    private let queue = DispatchQueue(label: "bench.baseline")

    func arm(deadline: Timestamp) {
        let wait = Double(deadline.milliseconds - SystemClock.read().milliseconds) / 1000
        queue.asyncAfter(deadline: .now() + wait) { [self] in
            let late = Double(SystemClock.read().milliseconds - deadline.milliseconds) / 1000
            lock.withLock { kept.append(late) }
        }
    }

    var count: Int { lock.withLock { kept.count } }
    var values: [Double] { lock.withLock { kept } }
}
