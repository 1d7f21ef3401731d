// Liveness and readiness of a worker, for /healthz, /readyz and systemd.

import Foundation
import Metrics
import SLAKafka

/// Watches a worker and answers "is its loop alive?" and "is it ready?", and tells systemd
/// (READY=1 after the first restore, STATUS= lines, WATCHDOG=1 from the loop, STOPPING=1).
public final class ServiceStatus: WorkerObserver, @unchecked Sendable {
    // @unchecked: the mutable state is guarded by `lock`.
    private let lock = NSLock()
    private let notifier: SystemdNotifier
    private let staleAfter: TimeInterval
    private var lastTurn: Date?
    private var restoring = Set<TopicPartition>()
    private var owned = Set<TopicPartition>()
    private var everRestored = false
    private var stopping = false
    private let readyGauge = Gauge(label: MetricName.ready)

    /// A status reporter; the loop counts as dead when it has not turned for `staleAfter` seconds.
    public init(notifier: SystemdNotifier = SystemdNotifier(), staleAfter: TimeInterval = 30) {
        self.notifier = notifier
        self.staleAfter = staleAfter
        readyGauge.record(0)
    }

    /// Sets `slawatch_ready` to what `/readyz` would answer now (after each change of state).
    private func recordReadiness() { readyGauge.record(isReady ? 1 : 0) }

    /// The worker loop turned recently.
    public var isAlive: Bool {
        lock.withLock { lastTurn.map { Date().timeIntervalSince($0) < staleAfter } ?? false }
    }

    /// The first assignment is restored, no partition is being restored, and it is not stopping.
    public var isReady: Bool { lock.withLock { everRestored && restoring.isEmpty && !stopping } }

    /// Partitions owned and consuming.
    public var partitions: [TopicPartition] { lock.withLock { owned.sorted() } }

    public func workerLoopTurned() {
        lock.withLock { lastTurn = Date() }
        notifier.watchdog()
    }

    public func workerRestoring(_ partitions: [TopicPartition]) {
        lock.withLock { restoring.formUnion(partitions) }
        recordReadiness()
        notifier.status("restoring \(partitions.count) partitions")
    }

    public func workerRestored(_ partitions: [TopicPartition], milliseconds: Int) {
        let first = lock.withLock { () -> Bool in
            restoring.subtract(partitions)
            owned.formUnion(partitions)
            defer { everRestored = true }
            return !everRestored
        }
        recordReadiness()
        let status = "owning \(self.partitions.count) partitions (restored \(partitions.count) in \(milliseconds) ms)"
        if first { notifier.ready(status: status) } else { notifier.status(status) }
    }

    public func workerRevoked(_ partitions: [TopicPartition]) {
        lock.withLock { owned.subtract(partitions); restoring.subtract(partitions) }
        recordReadiness()
        notifier.status("handed over \(partitions.count) partitions, owning \(self.partitions.count)")
    }

    public func workerStatus(_ s: WorkerStats) {
        notifier.status("\(s.partitions) partitions, \(s.subjects) tickets and outages, \(s.timers) timers, \(s.consumed) records consumed, \(s.deadLettered) dead-lettered")
    }

    public func workerCommitted(milliseconds: Int) {}

    public func workerStopping() {
        lock.withLock { stopping = true }
        recordReadiness()
        notifier.stopping(status: "stopping: flushing outputs, committing, leaving the group")
    }
}
