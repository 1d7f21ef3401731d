// Explaining a held subject's deadlines from its history, the same derivation its clocks use.

extension SLATracker {
    /// How a held subject's deadlines were worked out: every cycle of every stage, derived from
    /// its history exactly as its clocks are. Nil when the subject is not held.
    public func explain(_ id: SubjectID) -> DeadlineExplanation? {
        guard let state = state(of: id) else { return nil }
        var cycles: [DeadlineExplanation.Cycle] = []
        for run in evaluator.runs(of: state) {
            let stage = policy.stages[run.stage]
            let startFact = state.facts.first { $0.time == run.start && stage.start.contains($0.action) }
            let endFact = run.end.flatMap { end in run.endedBy.flatMap { a in state.facts.first { $0.time == end && $0.action == a } } }
            var days: [CalendarDay] = []
            var limit: String
            switch stage.limit {
            case .after(let table):
                let amount: SLAAmount?
                switch table {
                case .single(let a): amount = a; limit = a.description
                case .byRegion(let t):
                    amount = run.attributes.region.flatMap { t[$0] }
                    limit = "by region: \(run.attributes.region.map { "\($0.rawValue) \(amount?.description ?? "none")" } ?? "region unknown")"
                case .byCustomerClass(let t, let otherwise):
                    amount = run.attributes.customerClass.flatMap { t[$0] ?? otherwise }
                    limit = "by customer class: \(run.attributes.customerClass.map { "\($0.rawValue) \(amount?.description ?? "none")" } ?? "class unknown")"
                }
                if case .workingDays(let n) = amount { days = (try? calendar.walk(workingDays: n, after: run.start)) ?? [] }
            case .before(let instant, let lead):
                limit = lead == .zero ? instant.rawValue : "\(instant.rawValue) − \(lead)"
            }
            let verdict: String
            switch run.verdict {
            case .met: verdict = "met"
            case .missed: verdict = "missed"
            case .stopped: verdict = "stopped"
            case nil: verdict = run.deadline == nil ? "waiting" : "running"
            }
            let ladder = run.deadline.map { d in stage.escalation.map { ($0.level, $0.to, d.adding($0.offset)) } } ?? []
            cycles.append(DeadlineExplanation.Cycle(
                stage: stage.id, rule: stage.rule, title: stage.title, cycle: run.cycle,
                chargedTo: charged(stage, state, at: run.end ?? state.facts.last?.time ?? run.start),
                startedBy: startFact?.action ?? .created, startedAt: run.start, startHash: startFact?.eventHash ?? 0,
                limit: limit, deadline: run.deadline, warningAt: run.warnAt, ladder: ladder,
                immediateAt: stage.immediate == nil ? nil : run.flaggedAt, days: days, provisional: run.provisional,
                endedBy: run.endedBy, endedAt: run.end, endHash: endFact?.eventHash,
                verdict: verdict, waitingReason: run.deadline == nil ? run.unresolved?.text : nil, shortBy: run.shortBy))
        }
        return DeadlineExplanation(subject: id, kind: state.kind, policyVersion: policy.version, calendarVersion: calendar.version,
                                   linkedOutage: state.linkedOutage, linkedTicket: state.linkedTicket, linkedAt: state.linkedAt,
                                   refusal: state.refusal?.text, cycles: cycles)
    }
}
