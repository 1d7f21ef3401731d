// Sends the demo's planned traffic when the accelerated clock reaches each record's time.

import Foundation
import SLACore
import SLAKafka

/// Replays a ``DemoTraffic`` plan into the input topics in (accelerated) real time.
final class DemoGenerator: @unchecked Sendable {
    // @unchecked: `sentCount` and `running` are guarded by `lock`; the producer is thread-safe.
    private let lock = NSLock()
    private var sentCount = 0
    private var running = true
    private let done = DispatchSemaphore(value: 0)
    private let producer: KafkaProducer

    init(bootstrapServers: String, settings: WorkerSettings, clock: any SLAClock, plan: [DemoRecord]) throws {
        producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": bootstrapServers, "linger.ms": "5"]))
        let producer = producer
        Thread { [self] in
            for r in plan {
                while lock.withLock({ running }), clock.now() < r.at {
                    Thread.sleep(forTimeInterval: min(0.05, Double(max(1, clock.realMilliseconds(until: r.at) ?? 1)) / 1000))
                }
                guard lock.withLock({ running }) else { break }
                let topic = r.event.map { $0.subject.type == .outage ? settings.outagesTopic : settings.ticketsTopic } ?? settings.ticketsTopic
                do {
                    try producer.send(ProducerRecord(topic: topic, key: Array(r.key.utf8), value: r.value)) { _ in }
                    lock.withLock { sentCount += 1 }
                } catch {
                    break
                }
            }
            done.signal()
        }.start()
    }

    /// Records sent so far.
    var sent: Int { lock.withLock { sentCount } }

    /// Stops sending and flushes; returns how many were sent.
    func stop() -> Int {
        lock.withLock { running = false }
        done.wait()
        try? producer.close(timeoutMilliseconds: 5_000)
        return sent
    }
}
