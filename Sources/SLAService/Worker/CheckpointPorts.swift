// What a checkpoint sends through and commits with: the producer's ledger and the group consumer.

import Foundation
import SLAKafka

/// The four things a ``CheckpointSequence`` does to the outside world, so the sequence's order
/// can be checked without a broker.
protocol CheckpointPorts: AnyObject {
    /// Waits until every output emitted so far is numbered; returns the last number.
    func drainOutputs() -> UInt64
    /// Sends `record`; returns its number.
    func send(_ record: ProducerRecord, what: String) -> UInt64
    /// Waits until every record up to `seq` is delivered (throws a delivery failure or a timeout).
    func waitDelivered(upTo seq: UInt64, timeout: TimeInterval) throws(WorkerFailure)
    /// Commits input offsets (next offset per partition) for the group.
    func commit(_ offsets: [TopicPartition: Int64]) throws(KafkaError)
}

/// The worker's ports: its emitter, ledger and producer, and its group consumer.
final class KafkaCheckpointPorts: CheckpointPorts {
    private let emitter: OutputEmitter
    private let ledger: DeliveryLedger
    private let producer: KafkaProducer
    private let consumer: () -> KafkaConsumer
    /// Runs while waiting for the broker: waiting is progress, not a stuck loop (the watchdog).
    private let tick: @Sendable () -> Void

    init(emitter: OutputEmitter, ledger: DeliveryLedger, producer: KafkaProducer,
         consumer: @escaping () -> KafkaConsumer, tick: @escaping @Sendable () -> Void) {
        self.emitter = emitter; self.ledger = ledger; self.producer = producer
        self.consumer = consumer; self.tick = tick
    }

    func drainOutputs() -> UInt64 { emitter.drain() }
    func send(_ record: ProducerRecord, what: String) -> UInt64 { ledger.send(record, via: producer, what: what).seq }
    func waitDelivered(upTo seq: UInt64, timeout: TimeInterval) throws(WorkerFailure) {
        try ledger.waitDelivered(upTo: seq, timeout: timeout, tick: tick)
    }
    func commit(_ offsets: [TopicPartition: Int64]) throws(KafkaError) { try consumer().commit(offsets) }
}
