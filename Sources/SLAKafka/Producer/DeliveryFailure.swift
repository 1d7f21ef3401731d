// Why a numbered record was not delivered, and where it was going.

/// The failed delivery of a record sent with ``KafkaProducer/send(_:number:)``: the error
/// after librdkafka's own retries, and the record's destination and key (its payload is gone).
public struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    /// What librdkafka reported.
    public var error: KafkaError
    /// The record's topic.
    public var topic: String
    /// The record's partition (-1 when none was chosen yet).
    public var partition: Int32
    /// The record's key.
    public var key: [UInt8]?

    /// Creates a failure report.
    public init(error: KafkaError, topic: String, partition: Int32, key: [UInt8]?) {
        self.error = error; self.topic = topic; self.partition = partition; self.key = key
    }

    /// `record to <topic>[<partition>] key <key>: <error>`.
    public var description: String { "\(record): \(error)" }

    /// `record to <topic>[<partition>] key <key>`: what failed, for a message.
    public var record: String {
        "record to \(topic)[\(partition)]" + (key.map { " key \(String(decoding: $0, as: UTF8.self))" } ?? "")
    }
}

/// Receives the reports of numbered records on the producer's poll thread: the number, and
/// nil when the record was delivered. It should return quickly.
public typealias NumberedDeliveries = @Sendable (_ number: UInt64, _ failure: DeliveryFailure?) -> Void
