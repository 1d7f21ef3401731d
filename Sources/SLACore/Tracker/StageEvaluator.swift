// Derives every stage cycle of a subject from its history: the pure core of the tracker.

/// Replays a subject's history against the policy's stages.
///
/// Because cycles are derived from the sorted history rather than updated event by event,
/// an event that arrives late lands in its place in time and the cycles come out as if it
/// had arrived in order.
struct StageEvaluator {
    let policy: Policy
    let calendar: BusinessCalendar

    func runs(of state: SubjectState) -> [StageRun] {
        var out: [StageRun] = []
        // A ticket attribute carried only by a later (or late) event still counts: region and
        // customer class describe the ticket, not one event.
        let latest = SubjectAttributes.of(state.facts, count: state.facts.count)
        let stopAll = policy.stopAllOn[state.kind.subject] ?? []
        for (index, stage) in policy.stages(for: state.kind) {
            if stage.skipIfLinked && state.isLinked { continue }
            var attrs = SubjectAttributes()
            var running: StageRun?
            var cycles = 0
            for f in state.facts {
                attrs.absorb(f)
                if var r = running {
                    if f.multiUnit == true, r.flaggedAt == nil { r.flaggedAt = f.time }
                    if stage.stops(f.action, reportedTo: f.reportedTo) {
                        r.end = f.time
                        r.verdict = r.deadline.map { f.time <= $0 ? .met : .missed }
                    } else if stage.missedOn.contains(f.action) {
                        r.end = f.time
                        r.verdict = .missed
                        r.forcedMiss = true
                    } else if stage.void.contains(f.action) || stopAll.contains(f.action) {
                        r.end = f.time
                        r.verdict = .stopped
                    }
                    if r.end != nil {
                        r.endedBy = f.action
                        out.append(settled(r, stage: stage, facts: state.facts))
                        running = nil
                    } else {
                        running = r
                    }
                }
                if running == nil, stage.start.contains(f.action) {
                    cycles += 1
                    var known = attrs
                    if known.region == nil { known.region = latest.region }
                    if known.customerClass == nil { known.customerClass = latest.customerClass }
                    if known.unit == nil { known.unit = latest.unit }
                    var r = StageRun(stage: index, cycle: cycles, start: f.time, deadline: nil, attributes: known)
                    r.flaggedAt = attrs.multiUnit ? f.time : nil
                    if case .after(let table) = stage.limit {
                        do { try time(&r, table, attrs: known, stage: stage) } catch { r.unresolved = error }
                    }
                    running = r
                }
            }
            if let r = running { out.append(settled(r, stage: stage, facts: state.facts)) }
        }
        return out
    }

    /// Fixes deadlines counted back from an outage instant: the latest value known before the
    /// cycle ended counts, so an `updated` restoration estimate moves the clock.
    private func settled(_ run: StageRun, stage: StageRule, facts: SubjectHistory.Facts) -> StageRun {
        guard case .before(let instant, let lead) = stage.limit else { return run }
        var r = run
        var value: Timestamp?
        var failAt: Timestamp?
        for f in facts {
            if let end = run.end, end < f.time { break }
            if let v = f.instant(instant) { value = v }
            if let m = stage.missedAt, let v = f.instant(m) { failAt = v }
        }
        if let failAt, case let at = max(failAt, r.start), r.end.map({ $0 > at }) ?? true {
            // The instant passed before the stop (or anything else ended the cycle): missed then.
            // A time still to come is the cycle's end all the same: the tracker waits for it.
            r.end = at; r.verdict = .missed; r.endedBy = nil; r.forcedMiss = true
        }
        guard let value else {
            r.unresolved = UnresolvedReason(.attributeMissing, missing: instant.rawValue,
                                            "\(instant.rawValue) is required to time stage \(stage.id) (rule \(stage.rule)) and no event carried it yet")
            if r.verdict != .stopped { r.verdict = nil }
            return r
        }
        let deadline = value.adding(TimeSpan(milliseconds: -lead.milliseconds))
        r.deadline = deadline
        r.warnAt = stage.warnAt.map { share in proportional(share, from: r.start, to: deadline) }
        if let end = r.end, r.verdict != .stopped, !r.forcedMiss { r.verdict = end <= deadline ? .met : .missed }
        if r.verdict == .missed, let end = r.end {
            // No notice at all gives none of the lead; a late one the time it came after its deadline.
            r.shortBy = r.forcedMiss ? lead : end.since(deadline)
        }
        return r
    }

    /// `share` of the time from `start` to `deadline`, on the clock.
    func proportional(_ share: Double, from start: Timestamp, to deadline: Timestamp) -> Timestamp {
        guard deadline > start else { return deadline }
        return start.adding(TimeSpan(milliseconds: Int64(Double(deadline.milliseconds - start.milliseconds) * share)))
    }

    /// Sets a forward cycle's deadline and warning point from its limit.
    private func time(_ r: inout StageRun, _ table: LimitTable, attrs: SubjectAttributes,
                      stage: StageRule) throws(UnresolvedReason) {
        let amount: SLAAmount
        switch table {
        case .single(let a): amount = a
        case .byRegion(let t):
            guard let region = attrs.region else {
                throw UnresolvedReason(.attributeMissing, missing: "region",
                                       "region is required to time stage \(stage.id) (rule \(stage.rule)); expected urban, rural or remote")
            }
            guard let a = t[region] else {
                throw UnresolvedReason(.attributeUnknown, missing: "region:\(region.rawValue)",
                                       "stage \(stage.id) (rule \(stage.rule)) has no limit for region \(region.rawValue)")
            }
            amount = a
        case .byCustomerClass(let t, let otherwise):
            guard let c = attrs.customerClass else {
                throw UnresolvedReason(.attributeMissing, missing: "customer_class",
                                       "customer_class is required to time stage \(stage.id) (rule \(stage.rule))")
            }
            guard let a = t[c] ?? otherwise else {
                throw UnresolvedReason(.attributeUnknown, missing: "customer_class:\(c.rawValue)",
                                       "stage \(stage.id) (rule \(stage.rule)) has no limit for customer class \(c.rawValue)")
            }
            amount = a
        }
        switch amount {
        case .span(let s):
            r.deadline = r.start.adding(s)
            r.warnAt = stage.warnAt.map { proportional($0, from: r.start, to: r.deadline!) }
        case .workingDays(let n):
            do {
                let counted = try calendar.count(workingDays: n, after: r.start)
                r.deadline = counted.deadline
                r.provisional = counted.provisional
                // The warning share is of the working time, so it never falls on a day off.
                r.warnAt = stage.warnAt.map { calendar.instant(atWorkingShare: $0, of: counted, start: r.start) }
            } catch {
                throw UnresolvedReason(.calendarNotCovered, missing: "calendar:\(error.year)",
                                       "cannot time stage \(stage.id) (rule \(stage.rule)): \(error)")
            }
        }
    }
}
