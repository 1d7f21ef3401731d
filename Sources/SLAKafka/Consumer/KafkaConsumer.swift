// A librdkafka group consumer whose rebalances hand partition ownership to its owner.

import CRdKafka
import Dispatch

/// A consumer in a consumer group, with manual commits and rebalance hand-off
/// (see ``RebalanceListener``).
///
/// Threading: `poll` blocks for up to its timeout and runs the rebalance callbacks, so one
/// thread (or serial dispatch queue) of the owner's polls it — never the Swift concurrency
/// pool. The other methods may be called from any thread, including from the listener.
public final class KafkaConsumer: @unchecked Sendable {
    // @unchecked: `handle` is librdkafka's thread-safe rd_kafka_t; `context` is fixed after init.
    let handle: OpaquePointer
    private let context: RebalanceContext
    private let commitQueue = DispatchQueue(label: "slawatch.consumer.commit")
    private var closed = false

    /// A group consumer (`group.id` and `bootstrap.servers` required). Offsets are committed
    /// only by ``commit(_:)``: `enable.auto.commit` is off unless the config says otherwise.
    /// `statistics` receives librdkafka's statistics JSON every `statistics.interval.ms`;
    /// `offsetReset` each partition whose position was reset past records it never read.
    public init(config: KafkaConfig, listener: RebalanceListener, offsetReset: (@Sendable (OffsetReset) -> Void)? = nil,
                statistics: (@Sendable (String) -> Void)? = nil) throws(KafkaError) {
        guard config["group.id"] != nil else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: "a group consumer needs group.id")
        }
        var c = config
        if c["enable.auto.commit"] == nil { c["enable.auto.commit"] = "false" }
        let ctx = RebalanceContext(listener: listener, statistics: statistics, offsetReset: offsetReset)
        let rk = try NativeClient.make(RD_KAFKA_CONSUMER, c, context: ctx) { rd_kafka_conf_set_rebalance_cb($0, rebalanceCallback) }
        handle = rk
        context = ctx
        ctx.consumer = self
        rd_kafka_poll_set_consumer(rk)
    }

    deinit {
        if !closed { _ = rd_kafka_consumer_close(handle) }
        rd_kafka_destroy(handle)
    }

    /// Joins the group for these topics.
    public func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for t in topics { rd_kafka_topic_partition_list_add(list, t, RD_KAFKA_PARTITION_UA) }
        try KafkaError.check(rd_kafka_subscribe(handle, list), "subscribe")
    }

    /// Waits up to `timeoutMilliseconds` for records and returns up to `maxRecords` of them.
    /// Rebalance callbacks run inside this call. Transient errors are retried by librdkafka and
    /// skipped here; a fatal one is thrown.
    public func poll(maxRecords: Int, timeoutMilliseconds: Int32) throws(KafkaError) -> [ConsumerRecord] {
        var out: [ConsumerRecord] = []
        var topics = TopicNames()
        var timeout = timeoutMilliseconds
        while out.count < maxRecords, let m = rd_kafka_consumer_poll(handle, timeout) {
            defer { rd_kafka_message_destroy(m) }
            timeout = 0
            if m.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                out.append(ConsumerRecord(m, topics: &topics))
            } else if rd_kafka_fatal_error(handle, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(code: m.pointee.err.rawValue, isFatal: true)
            }
        }
        return out
    }

    /// Commits, synchronously, the next offset to read per partition (last processed + 1).
    public func commit(_ offsets: [TopicPartition: Int64]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = PartitionList.make(offsets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_commit(handle, list, 0), "commit")
        for (tp, _, err) in PartitionList.read(list) where err != 0 {
            throw KafkaError(code: err, message: "commit of \(tp): \(KafkaError(code: err).message)")
        }
    }

    /// Commits in the background; `completion` gets the result on a private queue.
    public func commitAsync(_ offsets: [TopicPartition: Int64], completion: @escaping @Sendable (Result<Void, KafkaError>) -> Void) {
        commitQueue.async { [self] in
            do throws(KafkaError) { try commit(offsets); completion(.success(())) } catch { completion(.failure(error)) }
        }
    }

    /// Stops fetching these partitions.
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = PartitionList.make(partitions.map { ($0, nil) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_pause_partitions(handle, list), "pause")
    }

    /// Fetches these partitions again (after ``RebalanceListener/partitionsAssigned(_:consumer:)``, once their state is restored).
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = PartitionList.make(partitions.map { ($0, nil) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_resume_partitions(handle, list), "resume")
    }

    /// Moves the read position of assigned partitions.
    public func seek(_ offsets: [TopicPartition: Int64], timeoutMilliseconds: Int32) throws(KafkaError) {
        let list = PartitionList.make(offsets.map { ($0.key, $0.value) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        if let e = rd_kafka_seek_partitions(handle, list, timeoutMilliseconds) {
            defer { rd_kafka_error_destroy(e) }
            throw KafkaError(native: e)
        }
    }

    /// The group's committed offsets (next offset to read; -1001 when none).
    public func committed(_ partitions: [TopicPartition], timeoutMilliseconds: Int32) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = PartitionList.make(partitions.map { ($0, nil) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_committed(handle, list, timeoutMilliseconds), "committed offsets")
        return Dictionary(uniqueKeysWithValues: PartitionList.read(list).map { ($0.0, $0.offset) })
    }

    /// The low and high watermarks of a partition, asked of its leader (again during a leader
    /// change or a broker restart, up to `timeoutMilliseconds` in all).
    public func watermarks(_ tp: TopicPartition, timeoutMilliseconds: Int32) throws(KafkaError) -> (low: Int64, high: Int64) {
        try Watermarks.query(handle, tp, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// The low and high watermarks of several partitions, asked of their leaders together.
    public func watermarks(_ partitions: [TopicPartition], timeoutMilliseconds: Int32) throws(KafkaError) -> [TopicPartition: (low: Int64, high: Int64)] {
        try Watermarks.query(handle, partitions, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// The next offset this consumer will read per partition (its local fetch position; -1001
    /// when it has none yet). No request to the broker.
    public func positions(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = PartitionList.make(partitions.map { ($0, nil) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_position(handle, list), "positions")
        return Dictionary(uniqueKeysWithValues: PartitionList.read(list).map { ($0.0, $0.offset) })
    }

    /// The partitions currently assigned.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        try KafkaError.check(rd_kafka_assignment(handle, &list), "assignment")
        defer { if let list { rd_kafka_topic_partition_list_destroy(list) } }
        return PartitionList.read(list).map(\.0).sorted()
    }

    /// Leaves the group within `timeoutMilliseconds`: the listener is asked to give up every
    /// partition (revoke) first, then the group is told. Call it from the polling thread, after
    /// the last poll. Throws a timeout when the group has not confirmed in time; the handle is
    /// released either way when the consumer is deinitialised.
    public func close(timeoutMilliseconds: Int32 = 10_000) throws(KafkaError) {
        guard !closed else { return }
        closed = true
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        if let e = rd_kafka_consumer_close_queue(handle, queue) {
            defer { rd_kafka_error_destroy(e) }
            throw KafkaError(native: e)
        }
        let deadline = MonotonicClock.milliseconds() + Int64(timeoutMilliseconds)
        while rd_kafka_consumer_closed(handle) == 0 {
            guard MonotonicClock.milliseconds() < deadline else {
                throw KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue,
                                 message: "the consumer group did not confirm the leave within \(timeoutMilliseconds) ms")
            }
            // The final revoke arrives here as an event; it goes through the same hand-off.
            guard let event = rd_kafka_queue_poll(queue, 100) else { continue }
            defer { rd_kafka_event_destroy(event) }
            if rd_kafka_event_type(event) == RD_KAFKA_EVENT_REBALANCE {
                handOff(handle, rd_kafka_event_error(event), rd_kafka_event_topic_partition_list(event), context)
            }
        }
    }
}

/// What the C rebalance callback needs: the listener and the consumer it speaks for.
final class RebalanceContext: ClientContext, @unchecked Sendable {
    // @unchecked: set once during the consumer's init, read from the polling thread afterwards.
    let listener: RebalanceListener
    weak var consumer: KafkaConsumer?
    init(listener: RebalanceListener, statistics: (@Sendable (String) -> Void)?, offsetReset: (@Sendable (OffsetReset) -> Void)?) {
        self.listener = listener
        super.init(statistics: statistics, offsetReset: offsetReset)
    }
}

/// librdkafka's rebalance callback: runs inside `rd_kafka_consumer_poll`.
private func rebalanceCallback(_ rk: OpaquePointer?, _ err: rd_kafka_resp_err_t,
                               _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
                               _ opaque: UnsafeMutableRawPointer?) {
    guard let rk, let opaque else { return }
    handOff(rk, err, partitions, Unmanaged<RebalanceContext>.fromOpaque(opaque).takeUnretainedValue())
}

/// Moves partitions between librdkafka and the owner: assigned ones are paused before the
/// owner hears of them; revoked ones are released only after the owner is done with them.
private func handOff(_ rk: OpaquePointer, _ err: rd_kafka_resp_err_t,
                     _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, _ ctx: RebalanceContext) {
    let tps = PartitionList.read(partitions).map(\.0).sorted()
    let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
    switch err {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        if cooperative {
            if let e = rd_kafka_incremental_assign(rk, partitions) { rd_kafka_error_destroy(e) }
        } else {
            rd_kafka_assign(rk, partitions)
        }
        // Paused before any fetch: records flow only once the owner has restored state and resumes.
        if let partitions { rd_kafka_pause_partitions(rk, partitions) }
        if let consumer = ctx.consumer { ctx.listener.partitionsAssigned(tps, consumer: consumer) }
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        // The owner flushes, commits and drops state before the partitions are given up.
        if let consumer = ctx.consumer { ctx.listener.partitionsRevoked(tps, consumer: consumer) }
        if cooperative {
            if let e = rd_kafka_incremental_unassign(rk, partitions) { rd_kafka_error_destroy(e) }
        } else {
            rd_kafka_assign(rk, nil)
        }
    default:
        rd_kafka_assign(rk, nil)
    }
}
