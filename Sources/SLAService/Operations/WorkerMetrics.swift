// The worker's metrics, named in one place (swift-metrics; the executable picks the backend).

import Metrics
import SLACore

/// Metric names as Prometheus shows them (see docs/operations.md for what each means).
public enum MetricName {
    public static let recordsConsumed = "slawatch_records_consumed_total"
    public static let deadLettered = "slawatch_dead_lettered_total"
    /// Partitions whose position librdkafka reset past records never read (their offset was gone).
    public static let offsetResets = "slawatch_offset_resets_total"
    public static let decodeErrors = "slawatch_decode_errors_total"
    public static let duplicates = "slawatch_duplicate_events_total"
    public static let eventsEmitted = "slawatch_events_emitted_total"
    public static let activeClocks = "slawatch_active_clocks"
    public static let subjects = "slawatch_subjects"
    public static let timers = "slawatch_timers"
    public static let partitions = "slawatch_partitions_owned"
    public static let timerLateness = "slawatch_timer_lateness_seconds"
    public static let catchUpWaiting = "slawatch_catch_up_waiting"
    public static let consumerLag = "slawatch_consumer_lag"
    public static let restoreDuration = "slawatch_restore_duration_seconds"
    public static let commitLatency = "slawatch_commit_latency_seconds"
    public static let producerQueue = "slawatch_producer_queue_depth"
    public static let rollupOutcomes = "slawatch_rollup_outcomes_total"
    public static let rollupCells = "slawatch_rollup_cells"
    /// Rollup state sets a restore found cut short (a checkpoint that did not finish) and left out.
    public static let rollupStateCutShort = "slawatch_rollup_state_sets_cut_short_total"
    public static let sinkStored = "slawatch_sink_records_stored_total"
    public static let sinkFailures = "slawatch_sink_failures_total"
    public static let sinkFailing = "slawatch_sink_failing"
    public static let unresolvedClocks = "slawatch_unresolved_clocks"
    public static let calendarCoveredUntil = "slawatch_calendar_covered_until_seconds"
    public static let calendarOfficialUntil = "slawatch_calendar_official_until_seconds"
    public static let calendarProvisionalYears = "slawatch_calendar_provisional_years"
    /// `worker.calendar_warn_days`, for the coverage alert to compare against.
    public static let calendarWarnDays = "slawatch_calendar_warn_days"
    /// Stage cycles on the board (running, waiting, and ended today), group-wide.
    public static let boardClocks = "slawatch_board_cycles"
    /// 1 while `/readyz` answers 200 (restored, not restoring, not stopping), else 0.
    public static let ready = "slawatch_ready"
    public static let policyInfo = "slawatch_policy_info"
    public static let calendarInfo = "slawatch_calendar_info"
    public static let reloads = "slawatch_reloads_total"
    public static let reloadFailures = "slawatch_reload_failures_total"
    public static let refusedSubjects = "slawatch_refused_subjects_total"
    public static let oversizedRecords = "slawatch_oversized_records_total"
    public static let linkedLate = "slawatch_linked_late_total"
    public static let unattributedOutcomes = "slawatch_unattributed_outcomes_total"
    /// A unit's verdicts this month so far (`unit`, `month`, `verdict` met | missed), from its scorecard.
    public static let unitMonthVerdicts = "slawatch_unit_month_verdicts"
    /// A unit's overdues that stand this month (`unit`, `month`).
    public static let unitMonthOverdue = "slawatch_unit_month_overdue"
    /// A unit's score this month so far (`unit`, `month`), 0–100.
    public static let unitMonthScore = "slawatch_unit_month_score"
}

/// The metric handles one owner queue updates, made once (a lookup per record would cost more
/// than the counting). A worker with several owners gives each its own instance: counters and
/// histograms are shared by name in the backend, and the gauges that count what an owner holds
/// are this owner's part of a ``GaugeSum``.
final class WorkerMetrics: @unchecked Sendable {
    // @unchecked: the per-key caches are touched only on the owner's queue; the handles are thread-safe.
    /// Which owner's part this instance records, and the worker's shared sums.
    private let owner: Int
    private let sums: GaugeSums
    private var consumed: [String: Counter] = [:]
    private var deadLettered: [String: Counter] = [:]
    private var decodeErrors: [String: Counter] = [:]
    private var emitted: [String: Counter] = [:]
    private var rolledUp: [String: Counter] = [:]
    let rollupCells: OwnerGauge
    private var active: [Int: OwnerGauge] = [:]
    private var activeCounts: [Int: Int] = [:]
    let duplicates = Counter(label: MetricName.duplicates)
    /// Fault tickets linked to an outage entered after them.
    let linkedLate = Counter(label: MetricName.linkedLate)
    /// Outcomes of ticket events that name no unit, with no history to take one from: counted under `-`.
    let unattributedOutcomes = Counter(label: MetricName.unattributedOutcomes)
    let subjects: OwnerGauge
    let timers: OwnerGauge
    let partitions: OwnerGauge
    let lateness = Recorder(label: MetricName.timerLateness, aggregate: true)
    let catchUpWaiting: OwnerGauge
    let restoreDuration = Recorder(label: MetricName.restoreDuration, aggregate: true)
    let commitLatency = Recorder(label: MetricName.commitLatency, aggregate: true)
    let producerQueue = Gauge(label: MetricName.producerQueue)
    private var stageIds: [String]
    private var waiting: [UnresolvedReason.Code: OwnerGauge] = [:]
    private var waitingCounts: [UnresolvedReason.Code: Int] = [:]

    /// Exports every reason of the unresolved-clocks gauge at 0 from the start, so its alert
    /// rule and dashboard panel show 0 rather than no data until the first unresolved clock.
    /// Owner `owner`'s metrics; owners of one worker pass the same `sums`.
    init(policy: Policy, owner: Int = 0, sums: GaugeSums = GaugeSums()) {
        self.owner = owner
        self.sums = sums
        func part(_ label: String) -> OwnerGauge { OwnerGauge(sum: sums.sum(label), owner: owner) }
        rollupCells = part(MetricName.rollupCells)
        subjects = part(MetricName.subjects)
        timers = part(MetricName.timers)
        partitions = part(MetricName.partitions)
        catchUpWaiting = part(MetricName.catchUpWaiting)
        stageIds = policy.stages.map(\.id)
        for code in UnresolvedReason.Code.allCases { waitingGauge(code).record(0) }
    }

    /// Starts the clock gauges again under a policy whose stages differ (a reload): stage
    /// indices are positions in the policy, so the old counts no longer apply.
    func reset(policy: Policy, running: [Int: Int], waiting counts: [UnresolvedReason.Code: Int]) {
        for (_, g) in active { g.record(0) }
        active = [:]
        activeCounts = [:]
        stageIds = policy.stages.map(\.id)
        runningRestored(running)
        waitingCounts = [:]
        for code in UnresolvedReason.Code.allCases { waitingGauge(code).record(0) }
        waitingRestored(counts)
    }

    /// Adds restored subjects' waiting cycles (reason → cycles) to the unresolved-clocks gauge.
    func waitingRestored(_ counts: [UnresolvedReason.Code: Int]) {
        for (code, n) in counts where n != 0 {
            waitingCounts[code, default: 0] += n
            waitingGauge(code).record(waitingCounts[code] ?? 0)
        }
    }

    /// Moves the active- and unresolved-clocks gauges by a subject's change in one step.
    func clocksChanged(from before: SubjectClocks, to after: SubjectClocks) {
        runningChanged(from: before.running, to: after.running)
        guard before.waiting != after.waiting else { return }
        for c in before.waiting { waitingCounts[c, default: 0] -= 1 }
        for c in after.waiting { waitingCounts[c, default: 0] += 1 }
        for c in Set(before.waiting).union(after.waiting) { waitingGauge(c).record(waitingCounts[c] ?? 0) }
    }

    private func waitingGauge(_ c: UnresolvedReason.Code) -> OwnerGauge {
        if let g = waiting[c] { return g }
        let g = OwnerGauge(sum: sums.sum(MetricName.unresolvedClocks, dimensions: [("reason", c.rawValue)]), owner: owner)
        waiting[c] = g
        return g
    }

    func consumed(topic: String) {
        (consumed[topic] ?? { let c = Counter(label: MetricName.recordsConsumed, dimensions: [("topic", topic)]); consumed[topic] = c; return c }()).increment()
    }

    func deadLettered(topic: String) {
        (deadLettered[topic] ?? { let c = Counter(label: MetricName.deadLettered, dimensions: [("topic", topic)]); deadLettered[topic] = c; return c }()).increment()
    }

    /// A ticket or outage refused for its size (``TrackerLimits``).
    func refusedSubject(_ type: SubjectType) {
        Counter(label: MetricName.refusedSubjects, dimensions: [("type", type.rawValue)]).increment()
    }

    /// A record not produced because it would exceed `message.max.bytes` (any thread: rare, so
    /// the handle is looked up each time rather than cached).
    static func oversizedRecord(topic: String) {
        Counter(label: MetricName.oversizedRecords, dimensions: [("topic", topic)]).increment()
    }

    func decodeError(topic: String) {
        (decodeErrors[topic] ?? { let c = Counter(label: MetricName.decodeErrors, dimensions: [("topic", topic)]); decodeErrors[topic] = c; return c }()).increment()
    }

    func emitted(_ type: SLAEventType) {
        let t = type.rawValue
        (emitted[t] ?? { let c = Counter(label: MetricName.eventsEmitted, dimensions: [("type", t)]); emitted[t] = c; return c }()).increment()
    }

    /// A restore found `n` rollup state sets cut short (rare: a crash mid-checkpoint).
    func rollupStateSetsCutShort(_ n: Int) {
        Counter(label: MetricName.rollupStateCutShort).increment(by: n)
    }

    func rolledUp(_ disposition: String) {
        (rolledUp[disposition] ?? { let c = Counter(label: MetricName.rollupOutcomes, dimensions: [("disposition", disposition)]); rolledUp[disposition] = c; return c }()).increment()
    }

    /// Adds restored subjects' running stages (stage index → subjects) to the active-clocks
    /// gauge, recording each stage's gauge once rather than once per subject.
    func runningRestored(_ counts: [Int: Int]) {
        for (s, n) in counts where n != 0 {
            activeCounts[s, default: 0] += n
            activeGauge(s).record(activeCounts[s] ?? 0)
        }
    }

    /// Moves the active-clocks gauge by the difference between a subject's running stages before and after a step.
    func runningChanged(from before: [Int], to after: [Int]) {
        guard before != after else { return }
        for s in before { activeCounts[s, default: 0] -= 1 }
        for s in after { activeCounts[s, default: 0] += 1 }
        for s in Set(before).union(after) {
            activeGauge(s).record(activeCounts[s] ?? 0)
        }
    }

    /// The active-clocks gauge of stage `s`, made on first use.
    private func activeGauge(_ s: Int) -> OwnerGauge {
        if let g = active[s] { return g }
        let g = OwnerGauge(sum: sums.sum(MetricName.activeClocks, dimensions: [("stage", stageIds[s])]), owner: owner)
        active[s] = g
        return g
    }
}
