// SIGHUP (systemd's ExecReload) re-reads the policy and calendar files and puts them in force live.

import Logging
import Metrics
import ServiceLifecycle
import SLACore
import UnixSignals

/// Reloads the policy and calendar on SIGHUP, without a restart and without losing a clock.
///
/// A file that does not load is refused with the same located messages as `check-config`; the
/// running files stay and `slawatch_reload_failures_total` counts it. A good pair goes to the
/// worker, which evaluates every held clock again under it (``SLAWorker/reload(policy:calendar:done:)``).
public struct ReloadService: Service {
    /// Where the files are read from (nil: the built-in one), as the configuration names them.
    public let policyPath: String?
    public let calendarPath: String?
    public let worker: SLAWorker
    public let watch: CalendarWatch
    public let info: FilesInfoGauges
    public let logger: Logger
    /// Reads the wall clock for the calendar watch.
    public let now: @Sendable () -> Timestamp
    private let failures = Counter(label: MetricName.reloadFailures)
    private let reloads = Counter(label: MetricName.reloads)

    /// A reload service for a worker.
    public init(policyPath: String?, calendarPath: String?, worker: SLAWorker, watch: CalendarWatch, info: FilesInfoGauges,
                logger: Logger, now: @escaping @Sendable () -> Timestamp) {
        self.policyPath = policyPath; self.calendarPath = calendarPath; self.worker = worker
        self.watch = watch; self.info = info; self.logger = logger; self.now = now
    }

    public func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        logger.info("SIGHUP reloads the policy and calendar", metadata: ["policy": "\(policyPath ?? "built in")", "calendar": "\(calendarPath ?? "built in")"])
        for await _ in hangups.cancelOnGracefulShutdown() {
            _ = await reload()
        }
    }

    /// Reads both files and applies them; returns what the worker changed, or why nothing was.
    public func reload() async -> Result<ReloadSummary, ReloadRefusal> {
        logger.notice("reloading the policy and calendar")
        var problems: [FileProblem] = []
        var policy: Policy?, calendar: BusinessCalendar?
        do throws(FileProblem) { policy = try PolicyFiles.policy(at: policyPath) } catch { problems.append(error) }
        do throws(FileProblem) { calendar = try PolicyFiles.calendar(at: calendarPath) } catch { problems.append(error) }
        guard let policy, let calendar else {
            for p in problems { logger.error("reload refused; the running policy and calendar stay", metadata: ["problem": "\(p)"]) }
            failures.increment()
            return .failure(ReloadRefusal(problems.map(\.description).joined(separator: "; ")))
        }
        let result = await withCheckedContinuation { (c: CheckedContinuation<Result<ReloadSummary, ReloadRefusal>, Never>) in
            worker.reload(policy: policy, calendar: calendar) { c.resume(returning: $0) }
        }
        switch result {
        case .failure(let refusal):
            logger.error("reload refused; the running policy and calendar stay", metadata: ["problem": "\(refusal)"])
            failures.increment()
        case .success(let s):
            reloads.increment()
            info.show(s.to)
            watch.update(calendar, now: now())
            logger.notice("reload applied", metadata: [
                "policy": "\(s.from.policyVersion) → \(s.to.policyVersion)", "calendar": "\(s.from.calendarVersion) → \(s.to.calendarVersion)",
                "subjects": "\(s.subjects)", "rescheduled": "\(s.rescheduled)", "retracted": "\(s.retracted)",
                "started": "\(s.started)", "unresolved": "\(s.unresolved)",
            ])
        }
        return result
    }
}
