// The producer's poll thread: serves delivery reports until stopped.

import CRdKafka
import Foundation

/// Polls a producer handle on a dedicated thread so delivery reports run promptly.
///
/// The thread keeps this object alive, never the producer, so releasing a producer at any
/// moment is safe; `stop` waits until the thread has left librdkafka, after which the handle
/// may be destroyed.
final class DeliveryPoller: @unchecked Sendable {
    // @unchecked: `handle` is librdkafka's thread-safe rd_kafka_t; `state` is guarded by `lock`.
    private enum State { case idle, running, stopped }
    private let handle: OpaquePointer
    private let lock = NSLock()
    private var state = State.idle
    private let finished = DispatchSemaphore(value: 0)

    init(handle: OpaquePointer) { self.handle = handle }

    /// Starts the thread (once).
    func start() {
        let go = lock.withLock { () -> Bool in
            guard state == .idle else { return false }
            state = .running
            return true
        }
        guard go else { return }
        let t = Thread { [self] in
            while isRunning { rd_kafka_poll(handle, 100) }
            finished.signal()
        }
        t.name = "slawatch-producer-poll"
        t.start()
    }

    private var isRunning: Bool { lock.withLock { state == .running } }

    /// Stops the thread and waits for it; later calls return at once.
    func stop() {
        let wasRunning = lock.withLock { () -> Bool in defer { state = .stopped }; return state == .running }
        if wasRunning { finished.wait() }
    }
}
