// A record to publish, and the broker's receipt for it.

/// A record to publish: keyed, with headers.
public struct ProducerRecord: Sendable, Equatable {
    /// Topic name.
    public var topic: String
    /// Partition, or nil to let the partitioner choose by key.
    public var partition: Int32?
    /// Key (ticket or outage id for slawatch's outputs), or nil.
    public var key: [UInt8]?
    /// Value bytes; nil publishes a tombstone (compacted topics delete the key).
    public var value: [UInt8]?
    /// Headers, in order; names may repeat.
    public var headers: [(name: String, value: [UInt8])]

    /// A record.
    public init(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?, headers: [(name: String, value: [UInt8])] = []) {
        self.topic = topic; self.partition = partition; self.key = key; self.value = value; self.headers = headers
    }

    public static func == (a: ProducerRecord, b: ProducerRecord) -> Bool {
        a.topic == b.topic && a.partition == b.partition && a.key == b.key && a.value == b.value
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }
}

/// Where a record was stored.
public struct DeliveryReport: Sendable, Equatable {
    /// Topic name.
    public var topic: String
    /// Partition it landed in.
    public var partition: Int32
    /// Its offset there.
    public var offset: Int64

    /// A report (librdkafka makes them; tests and adapters may too).
    public init(topic: String, partition: Int32, offset: Int64) { self.topic = topic; self.partition = partition; self.offset = offset }
}
