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
    /// `statistics` receives librdkafka's statistics JSON every `statistics.interval.ms`.
    public init(config: KafkaConfig, statistics: (@Sendable (String) -> Void)? = nil) throws(KafkaError) {
        context = ClientContext(statistics: statistics)
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
        // C copies of everything the call reads; librdkafka copies payload and headers (F_COPY).
        var owned: [UnsafeMutableRawPointer] = []
        defer { owned.forEach { free($0) } }
        func cString(_ s: String) -> UnsafePointer<CChar> {
            let p = strdup(s)!
            owned.append(UnsafeMutableRawPointer(p))
            return UnsafePointer(p)
        }
        func bytes(_ b: [UInt8]) -> UnsafeMutableRawPointer {
            let p = malloc(max(b.count, 1))!
            b.withUnsafeBytes { if let base = $0.baseAddress { p.copyMemory(from: base, byteCount: b.count) } }
            owned.append(p)
            return p
        }
        var vus: [rd_kafka_vu_t] = []
        func add(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
            var v = rd_kafka_vu_t()
            v.vtype = type
            fill(&v)
            vus.append(v)
        }
        add(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = cString(record.topic) }
        if let p = record.partition { add(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = p } }
        if let k = record.key { add(RD_KAFKA_VTYPE_KEY) { $0.u.mem.ptr = bytes(k); $0.u.mem.size = k.count } }
        if let v = record.value { add(RD_KAFKA_VTYPE_VALUE) { $0.u.mem.ptr = bytes(v); $0.u.mem.size = v.count } }
        for h in record.headers {
            add(RD_KAFKA_VTYPE_HEADER) {
                $0.u.header.name = cString(h.name)
                $0.u.header.val = UnsafeRawPointer(bytes(h.value))
                $0.u.header.size = h.value.count
            }
        }
        add(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = box }
        // RD_KAFKA_MSG_F_COPY (0x2) | RD_KAFKA_MSG_F_BLOCK (0x4): copy the bytes, and wait for
        // room when the local queue is full instead of failing with QUEUE_FULL.
        add(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = 0x2 | 0x4 }
        if let error = rd_kafka_produceva(handle, &vus, vus.count) {
            let e = KafkaError(native: error)
            rd_kafka_error_destroy(error)
            Unmanaged<DeliveryBox>.fromOpaque(box).release()
            throw e
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
    let box = Unmanaged<DeliveryBox>.fromOpaque(raw).takeRetainedValue()
    if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        box.completion(.success(DeliveryReport(topic: topic, partition: m.partition, offset: m.offset)))
    } else {
        let fatal = rk.map { rd_kafka_fatal_error($0, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR } ?? false
        box.completion(.failure(KafkaError(code: m.err.rawValue, isFatal: fatal)))
    }
}

extension KafkaError {
    /// An error from librdkafka's `rd_kafka_error_t`, with its retriable and fatal flags.
    init(native e: OpaquePointer) {
        self.init(code: rd_kafka_error_code(e).rawValue, message: String(cString: rd_kafka_error_string(e)),
                  isRetriable: rd_kafka_error_is_retriable(e) != 0, isFatal: rd_kafka_error_is_fatal(e) != 0)
    }
}
