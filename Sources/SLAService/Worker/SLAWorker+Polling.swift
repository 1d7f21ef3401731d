// The worker's poll thread: records to the owner, checkpoints on time, and the graceful stop.

import Foundation
import SLAKafka

extension SLAWorker {
    /// Records handled per hop to the owner's queue: about a millisecond of work.
    static let sliceSize = 64

    /// Records `f` as the worker's failure (the first one stands) and says so.
    func fail(_ f: WorkerFailure) {
        guard lifecycle.fail(f) else { return }
        logger.critical("worker failed", metadata: ["kind": "\(f.kind.rawValue)", "reason": "\(f)"])
    }

    /// The poll thread's loop, until the worker is asked to stop or fails.
    func pollLoop() {
        let interval = settings.commitInterval.milliseconds
        var lastCheckpoint = clock.elapsedMilliseconds(), lastStatus = Int64.min / 2
        do {
            while !lifecycle.shouldStop {
                observers.forEach { $0.workerLoopTurned() }
                applyWaitingReload()
                owner.metrics.producerQueue.record(producer.queued)
                if clock.elapsedMilliseconds() - lastStatus >= 5_000 {
                    let s = stats
                    observers.forEach { $0.workerStatus(s) }
                    lastStatus = clock.elapsedMilliseconds()
                }
                let records = try consumer.poll(maxRecords: settings.batchSize, timeoutMilliseconds: 100)
                let backlog = owner.process(records, slice: Self.sliceSize)
                if let failed = emitter.failure { throw failed }
                if !backlog.isEmpty, let positions = try? consumer.positions(backlog) { owner.backlogPositions(positions) }
                if clock.elapsedMilliseconds() - lastCheckpoint >= interval, !lifecycle.shouldStop {
                    try checkpoint()
                    lastCheckpoint = clock.elapsedMilliseconds()
                }
            }
        } catch let f as WorkerFailure {
            fail(f)
        } catch {
            fail(WorkerFailure(.consumer, "consumer: \(error)", underlying: error))
        }
        if lifecycle.failure == nil { shutDown() }
        reloads.refuseWaiting()
        outages.stop()
        // After a failure nothing more is committed (the changelog and offsets stay at the last
        // good checkpoint); the consumer and producer are released when the worker is.
        lifecycle.finish()
    }

    /// Applies a reload asked for since the last turn.
    private func applyWaitingReload() {
        guard let r = reloads.take() else { return }
        handOver.policy = r.policy
        let done = r.done
        owner.reload(policy: r.policy, calendar: r.calendar) { done(.success($0)) }
    }

    /// Graceful stop within the configured bound: timers stop, a last checkpoint, leave the
    /// group (its revoke checkpoints again and drops the state), flush the producer.
    private func shutDown() {
        let deadline = clock.elapsedMilliseconds() + settings.shutdownTimeout.milliseconds
        func remainingMilliseconds() -> Int32 { Int32(max(1, min(Int64(Int32.max), deadline - clock.elapsedMilliseconds()))) }
        logger.info("worker stopping")
        observers.forEach { $0.workerStopping() }
        owner.stopTimers()
        do {
            try checkpoint(timeout: Double(remainingMilliseconds()) / 1000)
            try consumer.close(timeoutMilliseconds: remainingMilliseconds())
            if let f = lifecycle.failure { throw f }
            try producer.close(timeoutMilliseconds: remainingMilliseconds())
            logger.info("worker stopped", metadata: ["checkpoints": "\(stats.checkpoints)"])
        } catch let f as WorkerFailure {
            fail(f)
        } catch {
            fail(WorkerFailure(.shutdown, "shutdown did not finish within \(settings.shutdownTimeout): \(error)", underlying: error))
        }
    }

    /// Makes everything processed so far durable, then commits it (see ``CheckpointSequence``);
    /// `dropping` partitions are handed over afterwards.
    func checkpoint(dropping partitions: Set<TopicPartition> = [], timeout: TimeInterval? = nil) throws(WorkerFailure) {
        let started = clock.elapsedMilliseconds()
        let snapshot = owner.checkpoint(dropping: partitions).snapshot()
        switch try checkpoints.run(snapshot, dropping: partitions, timeout: timeout ?? deliveryWait) {
        case .unchanged: break
        case .committed:
            let ms = Int(clock.elapsedMilliseconds() - started)
            owner.metrics.commitLatency.record(Double(ms) / 1000)
            observers.forEach { $0.workerCommitted(milliseconds: ms) }
        case .commitFailed(let error):
            // Not fatal: the records are reprocessed after the next move, and dropped as duplicates.
            logger.warning("commit failed; it is retried at the next checkpoint", metadata: ["error": "\(error)"])
        }
    }
}
