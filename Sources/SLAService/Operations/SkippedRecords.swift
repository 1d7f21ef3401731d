// Records a consumer never read because its position was reset past them: counted and said aloud.

import Logging
import Metrics
import SLAKafka

/// What the worker does when librdkafka resets a partition's position past records it never
/// read (``OffsetReset``: its committed offset was deleted by retention before the group came
/// back to it). Those records are lost to the clocks and, on the outcomes topic, to every rollup,
/// scorecard and ranking: a figure silently short is the worst thing this product can publish,
/// so each reset counts in `slawatch_offset_resets_total{topic}` (exported at 0 for every input
/// topic from the start, so its alert has a series) and is logged as an error that says so.
final class SkippedRecords: Sendable {
    private let logger: Logger
    private let outcomesTopic: String
    private let factory: any MetricsFactory

    /// Exports the counter at 0 for `topics` (the worker's inputs).
    init(topics: [String], outcomesTopic: String, logger: Logger, factory: any MetricsFactory = MetricsSystem.factory) {
        self.logger = logger
        self.outcomesTopic = outcomesTopic
        self.factory = factory
        for t in topics { Counter(label: MetricName.offsetResets, dimensions: [("topic", t)], factory: factory).increment(by: 0) }
    }

    /// One reset (on a librdkafka thread: the counter and the logger are thread-safe).
    func record(_ reset: OffsetReset) {
        Counter(label: MetricName.offsetResets, dimensions: [("topic", reset.topic)], factory: factory).increment()
        let lost = reset.topic == outcomesTopic ? "rollups, scorecards and rankings miss the outcomes they held"
                                                : "the clocks miss the events they held"
        logger.error("records skipped: the consumer's offset was no longer on the broker (retention) and it went on past them; \(lost)",
                     metadata: ["topic": "\(reset.topic)", "partition": "\(reset.partition)",
                                "offset": "\(reset.from.map(String.init) ?? "-")", "librdkafka": "\(reset.message)"])
    }
}
