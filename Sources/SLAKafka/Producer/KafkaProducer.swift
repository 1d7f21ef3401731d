// A librdkafka producer: keyed records with headers, a delivery report per record, back-pressure.

import CRdKafka
import Foundation

/// Publishes records and reports each one's delivery.
///
/// Threading: `send` may be called from any thread; when librdkafka's local queue is full it
/// blocks the caller until there is room (never drops, never spins), so call it from a
/// dispatch queue or thread of your own, never from the Swift concurrency pool. Delivery
/// reports are served by one dedicated poll thread, which runs each completion; a completion
/// should hop to its owner's queue and return quickly.
///
/// Idempotence (`enable.idempotence=true`) is on unless the config says otherwise, so retries
/// after broker failures neither lose nor duplicate records.
public final class KafkaProducer: @unchecked Sendable {
    // @unchecked: `handle` is librdkafka's thread-safe rd_kafka_t.
    private let handle: OpaquePointer
    private let poller: DeliveryPoller
    private let context: ClientContext

    /// A producer with `config` (any librdkafka property; `bootstrap.servers` at least).
    /// `statistics` receives librdkafka's statistics JSON every `statistics.interval.ms`;
    /// `numberedDeliveries` the reports of records sent with ``send(_:number:)``.
    public init(config: KafkaConfig, statistics: (@Sendable (String) -> Void)? = nil,
                numberedDeliveries: NumberedDeliveries? = nil) throws(KafkaError) {
        context = ClientContext(statistics: statistics, numberedDeliveries: numberedDeliveries)
        var c = config
        if c["enable.idempotence"] == nil { c["enable.idempotence"] = "true" }
        handle = try NativeClient.make(RD_KAFKA_PRODUCER, c, context: context) { rd_kafka_conf_set_dr_msg_cb($0, deliveryReportCallback) }
        // The thread holds the poller, not the producer: a producer released right after init
        // must not be reached from a thread that starts late (that crashed the test run).
        poller = DeliveryPoller(handle: handle)
        poller.start()
    }

    deinit {
        poller.stop()
        rd_kafka_destroy(handle)
    }

    /// Queues a record; `completion` runs on the poll thread with the delivery report or the
    /// error. Throws (and never calls `completion`) when librdkafka refuses the record outright.
    public func send(_ record: ProducerRecord, completion: @escaping @Sendable (Result<DeliveryReport, KafkaError>) -> Void) throws(KafkaError) {
        let box = Unmanaged.passRetained(DeliveryBox(completion)).toOpaque()
        if let error = produce(record, opaque: box) {
            Unmanaged<DeliveryBox>.fromOpaque(box).release()
            throw error
        }
    }

    /// Queues a record whose report goes to the producer's `numberedDeliveries` with `number`
    /// (below 2⁶³). Nothing is allocated to carry it: the number travels as the message's opaque
    /// value, which a per-record completion closure would otherwise fill (the worker sends a
    /// record for every event). Throws when librdkafka refuses the record outright (no report).
    public func send(_ record: ProducerRecord, number: UInt64) throws(KafkaError) {
        precondition(context.numberedDeliveries != nil && number < 1 << 63, "a numbered send needs numberedDeliveries and a number below 2⁶³")
        // The low bit tells a number from a completion box (a pointer, so its low bit is 0).
        if let error = produce(record, opaque: UnsafeMutableRawPointer(bitPattern: UInt(number) << 1 | 1)!) { throw error }
    }

    /// Hands one record to librdkafka (which copies payload and headers, `RD_KAFKA_MSG_F_COPY`).
    /// The C strings and bytes the call reads are laid out in one temporary buffer and the
    /// argument list in another, both on the stack for records of ordinary size: the worker
    /// produces for every event, and a heap allocation per piece cost more than the call.
    private func produce(_ record: ProducerRecord, opaque: UnsafeMutableRawPointer) -> KafkaError? {
        var bytes = record.topic.utf8.count + 1 + (record.key?.count ?? 0) + (record.value?.count ?? 0)
        for h in record.headers { bytes += h.name.utf8.count + 1 + h.value.count }
        let arguments = 3 + (record.partition == nil ? 0 : 1) + (record.key == nil ? 0 : 1) + (record.value == nil ? 0 : 1) + record.headers.count
        return withUnsafeTemporaryAllocation(byteCount: bytes, alignment: 8) { buffer in
            withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: arguments) { vus in
                var used = 0, count = 0
                func copy<C: Collection<UInt8>>(_ c: C, terminated: Bool) -> UnsafeMutableRawPointer {
                    let at = buffer.baseAddress! + used
                    var k = used
                    let copied: Void? = c.withContiguousStorageIfAvailable { src in
                        if let base = src.baseAddress { at.copyMemory(from: base, byteCount: src.count) }
                        k += src.count
                    }
                    if copied == nil { for b in c { buffer[k] = b; k += 1 } }
                    if terminated { buffer[k] = 0; k += 1 }
                    used = k
                    return at
                }
                func add(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
                    var v = rd_kafka_vu_t()
                    v.vtype = type
                    fill(&v)
                    vus.initializeElement(at: count, to: v)
                    count += 1
                }
                add(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = UnsafePointer(copy(record.topic.utf8, terminated: true).assumingMemoryBound(to: CChar.self)) }
                if let p = record.partition { add(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = p } }
                if let k = record.key { add(RD_KAFKA_VTYPE_KEY) { $0.u.mem.ptr = copy(k, terminated: false); $0.u.mem.size = k.count } }
                if let v = record.value { add(RD_KAFKA_VTYPE_VALUE) { $0.u.mem.ptr = copy(v, terminated: false); $0.u.mem.size = v.count } }
                for h in record.headers {
                    add(RD_KAFKA_VTYPE_HEADER) {
                        $0.u.header.name = UnsafePointer(copy(h.name.utf8, terminated: true).assumingMemoryBound(to: CChar.self))
                        $0.u.header.val = UnsafeRawPointer(copy(h.value, terminated: false))
                        $0.u.header.size = h.value.count
                    }
                }
                add(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque }
                // RD_KAFKA_MSG_F_COPY (0x2) | RD_KAFKA_MSG_F_BLOCK (0x4): copy the bytes, and wait for
                // room when the local queue is full instead of failing with QUEUE_FULL.
                add(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = 0x2 | 0x4 }
                defer { vus.baseAddress!.deinitialize(count: count) }
                guard let error = rd_kafka_produceva(handle, vus.baseAddress!, count) else { return nil }
                defer { rd_kafka_error_destroy(error) }
                return KafkaError(native: error)
            }
        }
    }

    /// Learns the partitions and leaders of `topics` now, so the first record to each is not
    /// held up by a metadata request (a second or so on a fresh client). Throws when a topic
    /// is unknown to the cluster or the request times out.
    public func prepare(topics: [String], timeoutMilliseconds: Int32) throws(KafkaError) {
        for name in topics {
            guard let rkt = rd_kafka_topic_new(handle, name, nil) else {
                throw KafkaError(code: rd_kafka_last_error().rawValue, message: "topic \(name)")
            }
            // librdkafka keeps its own reference to a topic in use; ours is released at once.
            defer { rd_kafka_topic_destroy(rkt) }
            var md: UnsafePointer<rd_kafka_metadata>?
            try KafkaError.check(rd_kafka_metadata(handle, 0, rkt, &md, timeoutMilliseconds), "metadata of \(name)")
            if let md { rd_kafka_metadata_destroy(md) }
        }
    }

    /// Waits until every queued record has its delivery report, at most `timeoutMilliseconds`.
    public func flush(timeoutMilliseconds: Int32) throws(KafkaError) {
        try KafkaError.check(rd_kafka_flush(handle, timeoutMilliseconds), "flush")
    }

    /// Records queued and not yet reported.
    public var queued: Int { Int(rd_kafka_outq_len(handle)) }

    /// Flushes (at most `timeoutMilliseconds`), then stops the poll thread. Reports still
    /// outstanding after the timeout are failed by librdkafka when the producer is destroyed.
    /// Call it after the last `send` has returned: a `send` still waiting for queue room when
    /// the poll thread stops would wait for good.
    public func close(timeoutMilliseconds: Int32) throws(KafkaError) {
        defer { poller.stop() }
        try flush(timeoutMilliseconds: timeoutMilliseconds)
    }
}

/// The completion of one record, carried through librdkafka as the message's opaque.
final class DeliveryBox {
    let completion: @Sendable (Result<DeliveryReport, KafkaError>) -> Void
    init(_ c: @escaping @Sendable (Result<DeliveryReport, KafkaError>) -> Void) { completion = c }
}

/// librdkafka's delivery-report callback (runs on the poll thread).
private func deliveryReportCallback(_ rk: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let m = message?.pointee, let raw = m._private else { return }
    let fatal = { rk.map { rd_kafka_fatal_error($0, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR } ?? false }
    let topic = { m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "" }
    let bits = UInt(bitPattern: raw)
    if bits & 1 == 1 {
        guard let opaque, let deliveries = Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue().numberedDeliveries else { return }
        let number = UInt64(bits >> 1)
        guard m.err != RD_KAFKA_RESP_ERR_NO_ERROR else { deliveries(number, nil); return }
        let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        deliveries(number, DeliveryFailure(error: KafkaError(code: m.err.rawValue, isFatal: fatal()), topic: topic(), partition: m.partition, key: key))
        return
    }
    let box = Unmanaged<DeliveryBox>.fromOpaque(raw).takeRetainedValue()
    if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
        box.completion(.success(DeliveryReport(topic: topic(), partition: m.partition, offset: m.offset)))
    } else {
        box.completion(.failure(KafkaError(code: m.err.rawValue, isFatal: fatal())))
    }
}

extension KafkaError {
    /// An error from librdkafka's `rd_kafka_error_t`, with its retriable and fatal flags.
    init(native e: OpaquePointer) {
        self.init(code: rd_kafka_error_code(e).rawValue, message: String(cString: rd_kafka_error_string(e)),
                  isRetriable: rd_kafka_error_is_retriable(e) != 0, isFatal: rd_kafka_error_is_fatal(e) != 0)
    }
}
