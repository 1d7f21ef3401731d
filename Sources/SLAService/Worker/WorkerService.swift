// The worker as a swift-service-lifecycle Service: started by the group, stopped by its signals.

import Foundation
import ServiceLifecycle

/// Runs an ``SLAWorker`` inside a `ServiceGroup`: a graceful shutdown of the group (SIGTERM,
/// SIGINT) stops intake, flushes outputs and changelog, commits and leaves the group, within
/// the worker's `shutdown_timeout`; so does the group's cancellation (another service failed).
/// A worker failure ends `run()` with that failure.
public struct WorkerService: Service {
    /// The worker run.
    public let worker: SLAWorker

    /// Wraps a worker that is not started yet.
    public init(worker: SLAWorker) { self.worker = worker }

    public func run() async throws {
        let worker = worker
        // Starting talks to the cluster (blocking calls): off the cooperative pool.
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
            Thread {
                do { try worker.start(); c.resume() } catch { c.resume(throwing: error) }
            }.start()
        }
        // The group cancels its services when one of them fails (say, the HTTP port is taken):
        // the worker stops then too, or the daemon would hang instead of exiting with the error.
        let result = await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withCheckedContinuation { (c: CheckedContinuation<Result<Void, WorkerFailure>, Never>) in
                    worker.whenStopped { c.resume(returning: $0) }
                }
            } onGracefulShutdown: {
                worker.stop()
            }
        } onCancel: {
            worker.stop()
        }
        if case .failure(let f) = result { throw f }
    }
}
