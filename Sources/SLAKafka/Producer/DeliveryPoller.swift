// The producer's poll thread: serves delivery reports until stopped.

import CRdKafka

/// Polls a producer handle on a dedicated thread so delivery reports run promptly.
///
/// The thread keeps this object alive, never the producer, so releasing a producer at any
/// moment is safe; `stop` waits until the thread has left librdkafka, after which the handle
/// may be destroyed.
final class DeliveryPoller: @unchecked Sendable {
    // @unchecked: `handle` is librdkafka's thread-safe rd_kafka_t.
    private let handle: OpaquePointer
    private let thread = PollThread(name: "slawatch-producer-poll")

    init(handle: OpaquePointer) { self.handle = handle }

    /// Starts the thread (once).
    func start() {
        thread.start { [self] t in
            while t.isRunning { rd_kafka_poll(handle, 100) }
        }
    }

    /// Stops the thread and waits for it; later calls return at once.
    func stop() { thread.stop() }
}
