// New files put in force on every held subject, and fault tickets linked to an outage entered late.

import Dispatch
import SLACore

extension OwnedSubjects {
    /// Subjects re-evaluated per hop to the queue during a reload: timers wait behind one slice.
    static let reloadSlice = 2_000

    /// Puts a new policy and calendar in force and re-evaluates every held subject under them,
    /// a slice per turn of the queue, so timers keep firing meanwhile (a subject a timer reaches
    /// first is evaluated under the new files then). `done` runs on the queue when all are.
    func reload(policy: Policy, calendar: BusinessCalendar, done: @escaping @Sendable (ReloadSummary) -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        let old = tracker.files
        let stagesChanged = tracker.policy.stages.map(\.id) != policy.stages.map(\.id)
        tracker.reload(policy: policy, calendar: calendar)
        if stagesChanged { recountClocks() }
        // Subjects of a partition still reading its backlog wait for it (`OwnedPartitions.holdEvaluation`).
        var now: [SubjectID] = []
        now.reserveCapacity(tracker.count)
        for id in tracker.subjectIDs {
            if let tp = backlogPartition(of: id) { ownership.holdEvaluation(id, of: tp) } else { now.append(id) }
        }
        reevaluate(now[...], summary: ReloadSummary(from: old, to: tracker.files), done: done)
    }

    /// Evaluates subjects again under the files in force, in slices on later turns of the queue.
    func reevaluateLater(_ ids: [SubjectID]) {
        let files = tracker.files
        queue.async { [self] in
            reevaluate(ids[...], summary: ReloadSummary(from: files, to: files)) { [logger] s in
                logger.info("states restored from other files evaluated again", metadata: [
                    "subjects": "\(s.subjects)", "rescheduled": "\(s.rescheduled)", "retracted": "\(s.retracted)", "started": "\(s.started)",
                ])
            }
        }
    }

    /// One slice of a reload; the rest follows in a later turn of the queue.
    private func reevaluate(_ ids: ArraySlice<SubjectID>, summary: ReloadSummary, done: @escaping @Sendable (ReloadSummary) -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        var summary = summary
        let now = clock.now()
        defer { emitPending() }
        for id in ids.prefix(Self.reloadSlice) {
            guard let state = tracker.state(of: id), tracker.needsReevaluation(state) else { continue }
            let before = clocks(of: id)
            let actions = tracker.fire(id, now: now).actions
            for case .emit(let e) in actions { summary.count(e.type) }
            carryOut(actions)
            metrics.clocksChanged(from: before, to: clocks(of: id))
            summary.subjects += 1
        }
        let rest = ids.dropFirst(Self.reloadSlice)
        if rest.isEmpty { done(summary); return }
        let final = summary
        queue.async { [self] in reevaluate(rest, summary: final, done: done) }
    }

    /// Counts every held subject's running and waiting clocks again (the policy's stages changed).
    private func recountClocks() {
        var running: [Int: Int] = [:], waiting: [UnresolvedReason.Code: Int] = [:]
        for id in tracker.subjectIDs {
            let c = clocks(of: id)
            for s in c.running { running[s, default: 0] += 1 }
            for w in c.waiting { waiting[w, default: 0] += 1 }
        }
        metrics.reset(policy: tracker.policy, running: running, waiting: waiting)
    }

    /// Links the held fault tickets on these feeders and areas that an outage the outage table
    /// just took now covers (rule 1, whatever the arrival order).
    func relink(feeders: Set<String>, areas: Set<String>) {
        dispatchPrecondition(condition: .onQueue(queue))
        relink(tracker.linkCandidates(feeders: feeders, areas: areas))
    }

    func relink(_ ids: [SubjectID]) {
        guard !ids.isEmpty else { return }
        defer { emitPending() }
        let now = clock.now()
        for id in ids {
            let before = clocks(of: id)
            let actions = tracker.relink(id, now: now, outages: outages)
            guard !actions.isEmpty else { continue }
            stats.linkedLate += 1
            metrics.linkedLate.increment()
            carryOut(actions)
            metrics.clocksChanged(from: before, to: clocks(of: id))
        }
    }
}
