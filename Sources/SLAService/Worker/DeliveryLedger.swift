// Numbers every record the worker produces and tells when all up to a number are delivered.

import Foundation
import SLAKafka

/// The worker's barrier between producing and committing.
///
/// Every record sent gets the next sequence number; its delivery report completes it. A
/// checkpoint waits until every record up to a number is delivered before it writes the
/// changelog, and until the changelog is delivered before it commits input offsets. Delivery
/// reports arrive out of order across partitions, so completions above the first gap wait in
/// a set until the gap closes.
final class DeliveryLedger: @unchecked Sendable {
    // @unchecked: every stored property is guarded by `condition`.
    private let condition = NSCondition()
    private var issued: UInt64 = 0
    private var deliveredBelow: UInt64 = 1
    private var early = Set<UInt64>()
    private var failure: (record: String, error: KafkaError)?
    /// Records larger than this are replaced by a dead letter that names them (nil: no check).
    private let budget: RecordBudget?
    /// Told of each record replaced for its size (its topic, what it was, its size), on the sending thread.
    private let oversized: @Sendable (String, String, Int) -> Void
    private var replaced = 0

    /// A ledger; with a `budget`, no record over the producer's `message.max.bytes` reaches it.
    init(budget: RecordBudget? = nil, oversized: @escaping @Sendable (String, String, Int) -> Void = { _, _, _ in }) {
        self.budget = budget
        self.oversized = oversized
    }

    /// The number of the next record.
    func issue() -> UInt64 {
        condition.withLock { issued += 1; return issued }
    }

    /// Numbers `record` and hands it to `producer` (made with ``delivered(_:_:)`` as its
    /// `numberedDeliveries`); its report completes the number, and so does a refusal (which the
    /// next wait then throws). Returns the number and the refusal, if any. `what` describes the
    /// record for a refusal's message and is evaluated only then; a failed delivery is described
    /// by its topic, partition and key.
    @discardableResult
    func send(_ record: ProducerRecord, via producer: KafkaProducer, what: @autoclosure () -> String) -> (seq: UInt64, refused: KafkaError?) {
        var record = record
        if let budget, !budget.fits(record) {
            let described = what()
            oversized(record.topic, described, RecordBudget.size(of: record))
            record = budget.replacement(for: record, what: described)
            condition.withLock { replaced += 1 }
        }
        let seq = issue()
        do throws(KafkaError) {
            try producer.send(record, number: seq)
            return (seq, nil)
        } catch {
            complete(seq, failure: (what(), error))
            return (seq, error)
        }
    }

    /// The producer's report of record `seq`: nil when it was delivered.
    func delivered(_ seq: UInt64, _ failure: DeliveryFailure?) {
        complete(seq, failure: failure.map { ($0.record, $0.error) })
    }

    /// Records replaced by a dead letter because they exceeded the budget.
    var oversizedRecords: Int { condition.withLock { replaced } }

    /// The last number issued.
    var lastIssued: UInt64 { condition.withLock { issued } }

    /// Records sent and not yet delivered.
    var outstanding: Int { condition.withLock { Int(issued + 1 - deliveredBelow) - early.count } }

    /// Completes record `seq`; `failure` (what the record was, and the error) when it was not delivered.
    func complete(_ seq: UInt64, failure: (record: String, error: KafkaError)?) {
        condition.withLock {
            if let failure, self.failure == nil { self.failure = failure }
            if seq == deliveredBelow {
                deliveredBelow += 1
                while early.remove(deliveredBelow) != nil { deliveredBelow += 1 }
            } else {
                early.insert(seq)
            }
            condition.broadcast()
        }
    }

    /// Waits until every record up to `seq` is delivered; throws the first delivery failure
    /// (after librdkafka's own retries, so the broker has been unreachable for
    /// `message.timeout.ms`), or a timeout.
    /// `tick` runs about once a second while waiting (outside the lock), to show the waiter is alive.
    func waitDelivered(upTo seq: UInt64, timeout: TimeInterval, tick: @Sendable () -> Void = {}) throws(WorkerFailure) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while deliveredBelow <= seq {
            if let failure { throw WorkerFailure(.delivery, "delivery of \(failure.record) failed: \(failure.error)", underlying: failure.error) }
            if Date() >= deadline {
                throw WorkerFailure(.delivery, "\(Int(seq + 1 - deliveredBelow)) records still undelivered after \(Int(timeout)) s")
            }
            if !condition.wait(until: min(deadline, Date(timeIntervalSinceNow: 1))) {
                condition.unlock()
                tick()
                condition.lock()
            }
        }
        if let failure { throw WorkerFailure(.delivery, "delivery of \(failure.record) failed: \(failure.error)", underlying: failure.error) }
    }
}
