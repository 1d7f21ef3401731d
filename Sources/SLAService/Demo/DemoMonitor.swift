// Follows the output topics like an ops desk would, and tallies what arrives.

import Foundation
import SLAKafka

/// Reads `95598.sla.events` and `95598.sla.escalations` from the beginning and keeps a
/// ``DemoTally`` of them, on its own thread, until stopped.
final class DemoMonitor: RebalanceListener, @unchecked Sendable {
    // @unchecked: `tally` is guarded by `lock`; the consumer is used only on the poll thread.
    private let lock = NSLock()
    private var tallyValue = DemoTally()
    private let thread = PollThread(name: "slawatch-demo-monitor")
    private var consumer: KafkaConsumer?

    init(bootstrapServers: String, topics: [String]) throws {
        let c = try KafkaConsumer(config: KafkaConfig.localDevelopment(bootstrapServers: bootstrapServers)
            .consumerRole(group: "slawatch-demo-monitor"), listener: self)
        consumer = c
        try c.subscribe(topics)
        thread.start { [self] t in pollLoop(c, thread: t) }
    }

    /// The tally so far.
    var tally: DemoTally { lock.withLock { tallyValue } }

    /// Stops following and leaves the group.
    func stop() { thread.stop() }

    private func pollLoop(_ c: KafkaConsumer, thread: PollThread) {
        while thread.isRunning {
            guard let records = try? c.poll(maxRecords: 1000, timeoutMilliseconds: 100) else { continue }
            var parsed: [(String, String, String?, String?)] = []
            for r in records {
                guard let v = r.value, let o = try? JSONSerialization.jsonObject(with: Data(v)) as? [String: Any],
                      let id = o["event_id"] as? String, let type = o["type"] as? String else { continue }
                parsed.append((id, type, o["stage"] as? String, o["level"] as? String))
            }
            if !parsed.isEmpty { lock.withLock { for p in parsed { tallyValue.add(eventId: p.0, type: p.1, stage: p.2, level: p.3) } } }
        }
        try? c.close(timeoutMilliseconds: 5_000)
        consumer = nil
    }

    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        // Nothing to restore: read at once.
        try? consumer.resume(partitions)
    }

    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {}
}
