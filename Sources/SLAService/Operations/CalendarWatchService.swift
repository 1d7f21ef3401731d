// Runs the calendar watch once an hour for as long as the daemon runs.

import ServiceLifecycle
import SLACore

/// Checks the calendar's coverage at start and then hourly (see ``CalendarWatch``).
public struct CalendarWatchService: Service {
    public let watch: CalendarWatch
    /// Reads the wall clock.
    public let now: @Sendable () -> Timestamp

    /// A service over a watch.
    public init(watch: CalendarWatch, now: @escaping @Sendable () -> Timestamp) { self.watch = watch; self.now = now }

    public func run() async throws {
        while !Task.isCancelled {
            watch.check(now: now())
            // Ends at once on a graceful shutdown instead of sleeping through it.
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3_600)) } } catch { return }
        }
    }
}
