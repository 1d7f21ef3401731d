// The daemon's second stage: outcomes in, self-correcting rollups and scorecards out.

import Logging
import SLACore
import SLAKafka

/// Keeps a ``RollupBook`` per owned partition of the outcomes topic.
///
/// It runs inside the worker, on the ``SubjectOwner``'s queue: the outcomes topic is one more
/// input of the same consumer group, so its partitions move, restore (from the rollup
/// changelog) and checkpoint exactly like the tickets'. Changed cells are published once per
/// checkpoint, with their latest numbers, before the state that holds them is written. The
/// queue only *takes* the changes; the checkpoint encodes and sends them on the poll thread,
/// so that encoding a busy second's cells does not hold up due timers.
///
/// A partition is taken at most every `interval` (`worker.rollup_interval`): a take republishes
/// every cell changed since the one before, so while the stage works through a backlog, takes at
/// every checkpoint publish the same cells again and again (RollupBenchmark: at a take per 2 000
/// outcome records, the takes cost three times the counting). A checkpoint that does not take a
/// partition commits that partition's outcomes offset as of its last take — the offset its
/// written state covers —, so a restart reads the rest again and nothing is counted twice or lost.
final class RollupStage {
    private let outputs: OutputTopics
    private let calendar: BusinessCalendar
    private let rule: ScorecardRule
    private let retention: TimeSpan
    private let metrics: WorkerMetrics
    private var books: [Int32: RollupBook] = [:]
    private var lastPrune: [Int32: Int64] = [:]
    private let interval: TimeSpan
    /// Per partition: when it was last taken (none yet: the next checkpoint takes it).
    private var lastTake: [Int32: Int64] = [:]
    /// Per partition: the next outcomes offset its last take covers (none: nothing processed then).
    private var covered: [Int32: Int64] = [:]
    /// Each held unit's month so far, for Prometheus.
    private let gauges: UnitMonthGauges
    private(set) var dispositions: [String: Int] = [:]
    private(set) var published = 0

    init(outputs: OutputTopics, calendar: BusinessCalendar, rule: ScorecardRule, retention: TimeSpan, interval: TimeSpan = .seconds(0),
         metrics: WorkerMetrics) {
        self.outputs = outputs; self.calendar = calendar; self.rule = rule; self.retention = retention; self.metrics = metrics
        self.interval = interval
        gauges = UnitMonthGauges(calendar: calendar)
    }

    /// Cells held over every owned partition.
    var cells: Int { books.values.reduce(0) { $0 + $1.cellCount } }

    /// Counts one outcomes record; returns why it is refused (for the dead-letter topic), or nil.
    func apply(_ r: ConsumerRecord, now: Timestamp) -> String? {
        let o: Outcome
        do throws(EventRejection) { o = try Outcome.decode(r.value ?? []) } catch { return error.description }
        let header = r.headers.first { $0.name == OutputTopics.viewHeader }?.value.map { String(decoding: $0, as: UTF8.self) }
        guard let view = header.map(RollupView.init(rawValue:)) ?? .unit else {
            return "header \(OutputTopics.viewHeader): unknown view \(JSONText.quoted(header ?? ""))"
        }
        // A cell lives with the partition of its owner's key; a record keyed otherwise would split it.
        let key = r.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard key == o.key(view) else {
            return "key: \(JSONText.quoted(key)), but the outcome's \(view.rawValue) is \(JSONText.quoted(o.key(view))); outcomes are keyed by their view's owner"
        }
        let p = r.topicPartition.partition
        // In place: a copy of the book out of the dictionary would copy all its cells per outcome.
        if books[p] == nil { books[p] = newBook() }
        let d = books[p]!.apply(o, view: view, now: now)
        dispositions[d.rawValue, default: 0] += 1
        metrics.rolledUp(d.rawValue)
        return nil
    }

    /// What changed since the last take, per partition due (its last take `interval` ago or more,
    /// or in `dropping`), as values (cheap: no encoding). Each partition is pruned about once an
    /// hour. Encode with ``Taken/records()`` off the queue. `offsets` are the checkpoint's next
    /// offsets to commit: a partition not taken now gets the one its last take covers (or none).
    func take(now: Timestamp, offsets: inout [TopicPartition: Int64], dropping: Set<Int32> = []) -> Taken {
        var taken = Taken(outputs: outputs, asOf: now)
        for p in books.keys.sorted() {
            let tp = TopicPartition(outputs.settings.outcomesTopic, p)
            // A clock set back takes at once rather than never.
            if !dropping.contains(p), let last = lastTake[p], now.milliseconds >= last, now.milliseconds - last < interval.milliseconds {
                offsets[tp] = covered[p]
                continue
            }
            lastTake[p] = now.milliseconds
            covered[p] = offsets[tp]
            if now.milliseconds - (lastPrune[p] ?? 0) >= 3_600_000 {
                books[p]!.prune(now: now)
                lastPrune[p] = now.milliseconds
            }
            let pending = books[p]!.takePending()
            gauges.update(partition: p, cards: pending.changedScorecards, now: now)
            guard !pending.isEmpty else { continue }
            taken.partitions.append((p, pending))
            published += pending.publishCount  // each taken cell and scorecard is published once
        }
        return taken
    }

    /// The rollups owed at one checkpoint, not yet encoded.
    struct Taken: Sendable {
        let outputs: OutputTopics
        let asOf: Timestamp
        var partitions: [(partition: Int32, pending: RollupBook.Pending)] = []

        /// Rollups, scorecards, verdict rows and star ratings to publish, and state for the rollup changelog.
        func records() -> (publish: [ProducerRecord], state: [ProducerRecord]) {
            var publish: [ProducerRecord] = [], state: [ProducerRecord] = []
            for (p, pending) in partitions {
                let changes = pending.encoded()
                publish += changes.cells.map { outputs.rollupRecord($0.key, $0.cell, asOf: asOf) }
                publish += changes.scorecards.map { outputs.scorecardRecord($0, asOf: asOf) }
                publish += changes.verdicts.map { outputs.verdictRecord($0, asOf: asOf) }
                publish += changes.stars.map { outputs.starsRecord($0, asOf: asOf) }
                state += changes.state.map { outputs.rollupStateRecord(key: $0.key, partition: p, value: $0.value) }
            }
            return (publish, state)
        }
    }

    /// Takes a partition over with its restored state (latest value per key; nil = deleted).
    /// Returns the keys that could not be read, with the reason.
    func adopt(partition p: Int32, states: [String: [UInt8]?], now: Timestamp) -> [(key: String, reason: String)] {
        var book = newBook()
        let unreadable = book.restore(states.compactMap { key, value in value.map { (key, $0) } })
        if book.cutShortSets > 0 { metrics.rollupStateSetsCutShort(book.cutShortSets) }
        // Before anything is counted: a state set may still hold slots past the horizon (it is
        // deleted only once none of its entries is current).
        book.prune(now: now)
        lastPrune[p] = now.milliseconds
        lastTake[p] = nil
        covered[p] = nil
        gauges.update(partition: p, cards: book.scorecards(month: RollupWindow.of(now, .month, calendar: calendar).label, view: .unit), now: now)
        books[p] = book
        return unreadable
    }

    /// An empty book whose state records fit the producer's `message.max.bytes` with room for the key and framing.
    private func newBook() -> RollupBook {
        var book = RollupBook(calendar: calendar, rule: rule, retention: retention)
        book.stateChunkBytes = min(book.stateChunkBytes, max(4_096, outputs.recordLimit - RecordBudget.framing - 1_024))
        return book
    }

    /// Forgets a partition (after its last checkpoint).
    func drop(partition p: Int32) {
        books[p] = nil
        lastPrune[p] = nil
        lastTake[p] = nil
        covered[p] = nil
        gauges.drop(partition: p)
    }
}
