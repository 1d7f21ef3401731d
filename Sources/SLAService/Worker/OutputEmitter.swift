// Encodes and sends what the owner emits, on a queue of its own, in the order it was emitted.

import Dispatch
import Foundation
import SLACore
import SLAKafka

/// The worker's second stage of the event path: turns emitted events, outcomes and dead
/// letters into Kafka records and hands them to the producer through the ``DeliveryLedger``.
///
/// The owner's queue decides (tracker, timers) and the emitter's queue encodes and produces,
/// so the two run on different cores: encoding JSON and calling librdkafka were a third of
/// the owner's time per event. Batches keep their order, and a checkpoint calls ``drain()``
/// after taking its snapshot, so every output emitted before the snapshot is numbered before
/// the checkpoint waits for it. At most ``maxBatches`` batches wait: a slower emitter slows
/// the owner rather than holding an unbounded backlog.
final class OutputEmitter: @unchecked Sendable {
    // @unchecked: `refusal` is guarded by `lock`; the rest is immutable or used on `queue` only.

    /// One thing to send.
    enum Output {
        /// An SLA event for the ops desks or the lifecycle topic.
        case event(SLAEvent)
        /// An assessment outcome, once per rollup view.
        case outcome(Outcome)
        /// A ready record (a dead letter) and what it is, for a refusal's message.
        case record(ProducerRecord, what: String)
    }

    /// Batches that may wait for the emitter before the owner waits.
    static let maxBatches = 64

    private let queue = DispatchQueue(label: "slawatch.worker.emitter")
    private let room = DispatchSemaphore(value: OutputEmitter.maxBatches)
    private let outputs: OutputTopics
    private let producer: KafkaProducer
    private let ledger: DeliveryLedger
    private let lock = NSLock()
    private var refusal: WorkerFailure?

    init(outputs: OutputTopics, producer: KafkaProducer, ledger: DeliveryLedger) {
        self.outputs = outputs
        self.producer = producer
        self.ledger = ledger
    }

    /// Queues a batch to be encoded and sent after every batch queued before it; waits while
    /// ``maxBatches`` batches are waiting already.
    func enqueue(_ batch: [Output]) {
        guard !batch.isEmpty else { return }
        room.wait()
        queue.async { [self] in
            defer { room.signal() }
            for o in batch {
                switch o {
                case .event(let e): send(outputs.record(e), what: e.eventId)
                case .outcome(let o): for r in outputs.records(o) { send(r, what: o.outcomeId) }
                case .record(let r, let what): send(r, what: what)
                }
            }
        }
    }

    /// Waits until every batch queued so far has been handed to the producer; returns the last
    /// ledger number issued, which covers all of them.
    func drain() -> UInt64 { queue.sync { ledger.lastIssued } }

    /// The first record librdkafka refused outright: going on would lose it.
    var failure: WorkerFailure? { lock.withLock { refusal } }

    private func send(_ record: ProducerRecord, what: @autoclosure () -> String) {
        guard let error = ledger.send(record, via: producer, what: what()).refused else { return }
        let f = WorkerFailure(.delivery, "librdkafka refused \(what()): \(error)", underlying: error)
        lock.withLock { if refusal == nil { refusal = f } }
    }
}
