// Consumer lag per partition, read from librdkafka's statistics.

import Foundation
import Metrics

/// Turns librdkafka's statistics JSON (`statistics.interval.ms`) into one gauge per assigned
/// partition: `slawatch_consumer_lag{topic,partition}` = high watermark − committed or
/// fetched position, as librdkafka computes it.
final class ConsumerLagGauges: @unchecked Sendable {
    // @unchecked: `gauges` is guarded by `lock` (the callback runs on a librdkafka thread).
    private let lock = NSLock()
    private var gauges: [String: Gauge] = [:]

    /// Reads one statistics document; returns the lags it found (for tests).
    @discardableResult
    func update(statisticsJSON json: String) -> [String: Int] {
        guard let root = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let topics = root["topics"] as? [String: Any] else { return [:] }
        var found: [String: Int] = [:]
        for (topic, t) in topics {
            guard let partitions = (t as? [String: Any])?["partitions"] as? [String: Any] else { continue }
            for (p, value) in partitions {
                // Partition -1 is librdkafka's internal unassigned queue; a lag of -1 is unknown.
                guard let n = Int(p), n >= 0, let lag = (value as? [String: Any])?["consumer_lag"] as? Int, lag >= 0 else { continue }
                found["\(topic)[\(n)]"] = lag
            }
        }
        lock.withLock {
            for (key, lag) in found {
                let g = gauges[key] ?? {
                    let parts = key.dropLast().split(separator: "[")
                    let g = Gauge(label: MetricName.consumerLag, dimensions: [("topic", String(parts[0])), ("partition", String(parts[1]))])
                    gauges[key] = g
                    return g
                }()
                g.record(lag)
            }
        }
        return found
    }
}
