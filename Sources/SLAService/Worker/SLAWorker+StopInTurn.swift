// Stopping several workers of one group the way an operator should: one at a time.

import Foundation

extension SLAWorker {
    /// Stops `workers` one after another; before stopping the next, waits (at most
    /// `settleSeconds`) until the remaining ones own all `inputPartitions` again. librdkafka 2.0
    /// can abort a consumer that closes in the middle of a rebalance, so a group is never asked
    /// to lose two members at once. `willStop` runs just before each stop (e.g. to read its
    /// counters). Returns each worker's result, in order.
    @discardableResult
    public static func stopInTurn(_ workers: [SLAWorker], inputPartitions: Int, settleSeconds: Double = 15,
                                  willStop: (SLAWorker) -> Void = { _ in }) -> [Result<Void, WorkerFailure>] {
        var results: [Result<Void, WorkerFailure>] = []
        for (i, w) in workers.enumerated() {
            willStop(w)
            w.stop()
            results.append(w.waitUntilStopped())
            let rest = workers[(i + 1)...]
            let settled = Date(timeIntervalSinceNow: settleSeconds)
            while !rest.isEmpty, rest.reduce(0, { $0 + $1.stats.partitions }) != inputPartitions, Date() < settled {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        return results
    }
}
