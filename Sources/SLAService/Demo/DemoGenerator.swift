// Sends the demo's planned traffic when the accelerated clock reaches each record's time.

import Foundation
import SLACore
import SLAKafka

/// Replays a ``DemoTraffic`` plan into the input topics in (accelerated) real time.
final class DemoGenerator: @unchecked Sendable {
    // @unchecked: `sentCount` is guarded by `lock`; the producer is thread-safe.
    private let lock = NSLock()
    private var sentCount = 0
    private let thread = PollThread(name: "slawatch-demo-generator")
    private let producer: KafkaProducer

    init(bootstrapServers: String, settings: WorkerSettings, clock: any SLAClock, plan: [DemoRecord]) throws {
        producer = try KafkaProducer(config: KafkaConfig.localDevelopment(bootstrapServers: bootstrapServers).producerRole)
        let producer = producer
        thread.start { [self] t in
            for r in plan {
                while t.isRunning, clock.now() < r.at {
                    Thread.sleep(forTimeInterval: min(0.05, Double(max(1, clock.realMilliseconds(until: r.at) ?? 1)) / 1000))
                }
                guard t.isRunning else { break }
                let topic = r.event.map { $0.subject.type == .outage ? settings.outagesTopic : settings.ticketsTopic } ?? settings.ticketsTopic
                do {
                    try producer.send(ProducerRecord(topic: topic, key: Array(r.key.utf8), value: r.value)) { _ in }
                    lock.withLock { sentCount += 1 }
                } catch {
                    break
                }
            }
        }
    }

    /// Records sent so far.
    var sent: Int { lock.withLock { sentCount } }

    /// Stops sending and flushes; returns how many were sent.
    func stop() -> Int {
        thread.stop()
        try? producer.close(timeoutMilliseconds: 5_000)
        return sent
    }
}
