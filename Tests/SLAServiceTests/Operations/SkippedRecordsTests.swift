import Foundation
import Logging
import MetricsTestKit
@testable import SLAKafka
@testable import SLAService
import Testing

@Suite struct SkippedRecordsTests {
    private final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var items: [(Logger.Level, String)] = []
    }
    private struct Capture: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
        func log(event: LogEvent) {
            let text = event.message.description + " " + (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
            lines.lock.withLock { lines.items.append((event.level, text)) }
        }
    }

    @Test func everyInputTopicStartsAtZeroAndEachResetCountsAndIsAnError() throws {
        let metrics = TestMetrics(), lines = Lines()
        let skipped = SkippedRecords(topics: ["95598.tickets", "95598.outages", "slawatch.outcomes"], outcomesTopic: "slawatch.outcomes",
                                     logger: Logger(label: "t") { _ in Capture(lines: lines) }, factory: metrics)
        for t in ["95598.tickets", "95598.outages", "slawatch.outcomes"] {
            #expect(try metrics.expectCounter(MetricName.offsetResets, [("topic", t)]).totalValue == 0, "\(t)")
        }
        skipped.record(OffsetReset(topic: "slawatch.outcomes", partition: 7, from: 1234, message: "m"))
        skipped.record(OffsetReset(topic: "slawatch.outcomes", partition: 3, from: nil, message: "m"))
        skipped.record(OffsetReset(topic: "95598.tickets", partition: 0, from: 10, message: "m"))
        #expect(try metrics.expectCounter(MetricName.offsetResets, [("topic", "slawatch.outcomes")]).totalValue == 2)
        #expect(try metrics.expectCounter(MetricName.offsetResets, [("topic", "95598.tickets")]).totalValue == 1)
        #expect(try metrics.expectCounter(MetricName.offsetResets, [("topic", "95598.outages")]).totalValue == 0)
        let logged = lines.lock.withLock { lines.items }
        #expect(logged.count == 3 && logged.allSatisfy { $0.0 == .error })
        #expect(logged[0].1.contains("rollups, scorecards and rankings miss") && logged[0].1.contains("offset=1234") && logged[0].1.contains("partition=7"))
        #expect(logged[1].1.contains("offset=-"))
        #expect(logged[2].1.contains("the clocks miss") && logged[2].1.contains("topic=95598.tickets"))
    }
}
