// Partitions moving in (their changelogs read back, their backlog measured) and out (checkpointed, dropped).

import Logging
import SLACore
import SLAKafka

/// The group consumer's rebalance listener: both directions of a partition move, on the poll
/// thread, inside the consumer's poll.
///
/// In: an assigned partition stays paused until its changelog partition is read, its states
/// adopted and its backlog (input written while nobody owned it, or after the last commit)
/// measured; only then is it resumed. Out: a revoked partition is checkpointed (so the next
/// owner starts from exactly this state) and dropped before the group moves it.
final class PartitionHandOver: RebalanceListener, @unchecked Sendable {
    // @unchecked: used on the poll thread only (librdkafka calls the listener from its poll);
    // `checkpoint`, `observers` and `fail` are set once before the consumer subscribes.
    private let reader: PartitionReader
    private let outputs: OutputTopics
    private let owner: SubjectOwners
    private let lifecycle: WorkerLifecycle
    private let clock: any SLAClock
    private let logger: Logger
    /// The policy restored states are decoded against (a reload changes it, on the poll thread).
    var policy: Policy
    /// Runs the worker's checkpoint, dropping the given partitions afterwards.
    var checkpoint: (Set<TopicPartition>) throws(WorkerFailure) -> Void = { _ in }
    /// The worker's observers now.
    var observers: () -> [any WorkerObserver] = { [] }
    /// Records the worker's failure (and logs it).
    var fail: (WorkerFailure) -> Void = { _ in }

    init(reader: PartitionReader, outputs: OutputTopics, owner: SubjectOwners, lifecycle: WorkerLifecycle,
         policy: Policy, clock: any SLAClock, logger: Logger) {
        self.reader = reader; self.outputs = outputs; self.owner = owner; self.lifecycle = lifecycle
        self.policy = policy; self.clock = clock; self.logger = logger
    }

    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        guard lifecycle.failure == nil else { return }
        let started = clock.elapsedMilliseconds()
        func since(_ t: Int64) -> Int { Int(clock.elapsedMilliseconds() - t) }
        observers().forEach { $0.workerRestoring(partitions) }
        do {
            let (states, count, decodeWaitMs) = try readChangelogs(of: partitions)
            let readMs = since(started)
            let backlog = try backlogEnds(of: partitions, consumer: consumer)
            let adoptStarted = clock.elapsedMilliseconds()
            owner.adopt(partitions, states: states, backlog: backlog)
            let adoptMs = since(adoptStarted)
            try consumer.resume(partitions)
            lifecycle.restored()
            let ms = since(started)
            owner.metrics.restoreDuration.record(Double(ms) / 1000)
            observers().forEach { $0.workerRestored(partitions, milliseconds: ms) }
            logger.info("partitions restored", metadata: [
                "partitions": "\(partitions)", "changelog_records": "\(count)",
                "milliseconds": "\(ms)", "changelog_read_milliseconds": "\(readMs)",
                "decode_wait_milliseconds": "\(decodeWaitMs)", "adopt_milliseconds": "\(adoptMs)",
            ])
        } catch {
            fail(WorkerFailure(.restore, "restore of \(partitions) failed: \(error)", underlying: error))
        }
    }

    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        let set = Set(partitions)
        if lifecycle.failure != nil {
            // Nothing more is committed after a failure; the state is simply dropped.
            _ = owner.checkpoint(dropping: set)
            return
        }
        do {
            try checkpoint(set)
            observers().forEach { $0.workerRevoked(partitions) }
            logger.info("partitions handed over", metadata: ["partitions": "\(partitions)"])
        } catch {
            fail(error)
        }
    }

    /// Reads the changelog partitions of `partitions` to their end, decoding while reading.
    /// Also returns how long the decoding went on after the last record was read (0: it kept
    /// up with the reading), which tells a slow broker from a slow decode.
    private func readChangelogs(of partitions: [TopicPartition]) throws -> (RestoredStates, Int, Int) {
        let building = RestoredStatesBuilder(policy: policy, outcomesTopic: outputs.settings.outcomesTopic)
        var inputOf: [TopicPartition: TopicPartition] = [:]
        for tp in partitions {
            guard let changelog = outputs.changelog(ofInput: tp.topic) else { continue }
            inputOf[TopicPartition(changelog, tp.partition)] = tp
        }
        let watching = observers()
        let count = try reader.readToEnd(Array(inputOf.keys).sorted(), timeoutMilliseconds: 120_000) { batch in
            watching.forEach { $0.workerLoopTurned() }
            building.add(batch.compactMap { r in
                guard let input = inputOf[r.topicPartition], let key = r.key else { return nil }
                return (r.value, String(decoding: key, as: UTF8.self), input)
            })
        }
        let readEnded = clock.elapsedMilliseconds()
        let states = building.finished()
        return (states, count, Int(clock.elapsedMilliseconds() - readEnded))
    }

    /// Where each partition's backlog ends: what arrived before we owned it is read before its
    /// timers may fire.
    private func backlogEnds(of partitions: [TopicPartition], consumer: KafkaConsumer) throws(KafkaError) -> [TopicPartition: Int64] {
        let committed = try consumer.committed(partitions, timeoutMilliseconds: 10_000)
        var backlog: [TopicPartition: Int64] = [:]
        for (tp, (low, high)) in try consumer.watermarks(partitions, timeoutMilliseconds: 30_000) {
            let start = max(committed[tp].flatMap { $0 >= 0 ? $0 : nil } ?? low, low)
            if start < high { backlog[tp] = high }
        }
        return backlog
    }
}
