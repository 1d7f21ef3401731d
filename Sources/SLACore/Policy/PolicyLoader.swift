// Reads a policy file (YAML) into a ``Policy``, refusing it with file, line and reason.

/// Loads and validates the policy file. See `docs/policy.md` for the format.
public enum PolicyLoader {
    /// Parses policy text; `file` is the name used in problems.
    public static func parse(_ text: String, file: String) throws(FileProblem) -> Policy {
        let root = try YAMLNode.parse(text, file: file)
        var version: String?
        var warnAt: Double? = nil
        var retain = TimeSpan.days(7)
        var stopAll: [SubjectType: Set<LifecycleAction>] = [.ticket: [.closed, .cancelled], .outage: [.cancelled]]
        var stagesNode: YAMLNode?
        var scorecardNode: YAMLNode?
        var centre = "95598"
        for (key, value) in try root.mapping(allowed: ["version", "warn_at", "retain_after_close", "stop_all_on", "stages", "scorecard", "centre"]) {
            switch key {
            case "version": version = try value.nonEmptyString()
            case "centre":
                centre = try value.nonEmptyString()
                guard centre.utf8.count <= EventLimits.name else { throw value.problem("the centre's name is at most \(EventLimits.name) bytes") }
            case "warn_at": warnAt = try share(value)
            case "retain_after_close":
                retain = try value.span()
                guard retain >= .zero else { throw value.problem("must not be negative") }
            case "stop_all_on":
                for (subjectName, list) in try value.mapping(allowed: Set(SubjectType.allCases.map(\.rawValue))) {
                    let subject = SubjectType(rawValue: subjectName)!
                    stopAll[subject] = Set(try actions(list, subject: subject))
                }
            case "scorecard": scorecardNode = value
            default: stagesNode = value
            }
        }
        guard let version else { throw root.problem("missing key \"version\"") }
        guard let stagesNode else { throw root.problem("missing key \"stages\"") }
        var stages: [StageRule] = []
        var ids = Set<String>()
        for node in try stagesNode.sequence() {
            let stage = try self.stage(node, defaultWarnAt: warnAt)
            guard ids.insert(stage.id).inserted else { throw node.problem("stage id \"\(stage.id)\" is used twice") }
            stages.append(stage)
        }
        guard !stages.isEmpty else { throw stagesNode.problem("the policy has no stages") }
        // A cycle's record keeps its stage's index in two bytes (StageMark).
        guard stages.count <= Int(UInt16.max) else { throw stagesNode.problem("the policy has \(stages.count) stages, at most \(UInt16.max)") }
        let scorecard = try scorecardNode.map { n throws(FileProblem) in try self.scorecard(n, stages: ids) } ?? .standard
        var policy = Policy(version: version, stages: stages, stopAllOn: stopAll, retainAfterClose: retain, scorecard: scorecard)
        policy.centre = centre
        policy.contentHash = StableHash.of(text)
        return policy
    }

    /// `scorecard: { method: rate, min_volume: 10, deductions: {target: 1, points_per_percent: 1, cap: 10,
    /// weight: 1, overdue: 1, missed: 0.5}, stage_deductions: {id: {...}}, assess_below: 70,
    /// stars: {5: 95, 4: 90, 3: 80, 2: 70} }`
    private static func scorecard(_ node: YAMLNode, stages: Set<String>) throws(FileProblem) -> ScorecardRule {
        var rule = ScorecardRule.standard
        func points(_ n: YAMLNode) throws(FileProblem) -> Int64 {
            let v = try n.double()
            guard v >= 0, v <= 100 else { throw n.problem("points must be between 0 and 100, got \(v)") }
            return Int64((v * 1000).rounded())
        }
        func deduction(_ n: YAMLNode, base: ScorecardRule.Deduction) throws(FileProblem) -> ScorecardRule.Deduction {
            var d = base
            for (k, v) in try n.mapping(allowed: ["overdue", "missed", "target", "points_per_percent", "cap", "weight"]) {
                switch k {
                case "overdue": d.overdue = try points(v)
                case "missed": d.missed = try points(v)
                case "points_per_percent": d.pointsPerPercent = try points(v)
                case "cap": d.cap = try points(v)
                case "target":
                    let t = try v.double()
                    guard t > 0, t <= 1 else { throw v.problem("a target is an on-time rate above 0 and at most 1 (e.g. 0.95), got \(t)") }
                    d.target = t
                default:
                    let w = try v.double()
                    guard w >= 0, w <= 100 else { throw v.problem("a weight is between 0 and 100, got \(w)") }
                    d.weight = w
                }
            }
            return d
        }
        let fields = try node.mapping(allowed: ["deductions", "stage_deductions", "assess_below", "method", "min_volume", "stars"])
        for (k, v) in fields where k == "deductions" { rule.deduction = try deduction(v, base: rule.deduction) }
        for (k, v) in fields {
            switch k {
            case "stage_deductions":
                for (stage, d) in try v.mapping() {
                    guard stages.contains(stage) else { throw d.problem("no stage \"\(stage)\" in this policy") }
                    rule.perStage[stage] = try deduction(d, base: rule.deduction)
                }
            case "assess_below": rule.assessBelow = try points(v)
            case "method": rule.method = try v.oneOf(ScorecardRule.Method.allCases, what: "scorecard method")
            case "min_volume":
                let n = try v.double()
                guard n >= 0, n <= 1_000_000, n == n.rounded() else { throw v.problem("min_volume is a whole number of verdicts from 0 to 1000000, got \(n)") }
                rule.minVolume = Int64(n)
            case "stars": rule.stars = try starBands(v)
            default: break
            }
        }
        return rule
    }

    /// `{5: 95, 4: 90, 3: 80, 2: 70}`: every band from 5 down to 2 stars, each lower than the one above.
    private static func starBands(_ node: YAMLNode) throws(FileProblem) -> [Int64] {
        var floors: [String: Int64] = [:]
        for (k, v) in try node.mapping(allowed: ["5", "4", "3", "2"]) {
            let p = try v.double()
            guard p >= 0, p <= 100 else { throw v.problem("a star band is a mean score between 0 and 100, got \(p)") }
            floors[k] = Int64((p * 1000).rounded())
        }
        let bands = ["5", "4", "3", "2"].compactMap { floors[$0] }
        guard bands.count == 4 else {
            throw node.problem("stars needs the lowest mean score for each of 5, 4, 3 and 2 stars (1 star is below them), e.g. {5: 95, 4: 90, 3: 80, 2: 70}")
        }
        guard zip(bands, bands.dropFirst()).allSatisfy({ $0 > $1 }) else {
            throw node.problem("star bands must fall from 5 stars to 2, got \(bands.map { Double($0) / 1000 })")
        }
        return bands
    }

    private static let stageKeys: Set<String> = [
        "id", "rule", "title", "subject", "kinds", "start", "stop", "void", "limit", "due", "warn_at",
        "escalation", "immediate_escalation", "skip_if_linked", "alarms", "charged", "missed_on", "missed_at",
    ]

    private static func stage(_ node: YAMLNode, defaultWarnAt: Double?) throws(FileProblem) -> StageRule {
        let fields = Dictionary(uniqueKeysWithValues: try node.mapping(allowed: stageKeys))
        func required(_ k: String) throws(FileProblem) -> YAMLNode {
            guard let v = fields[k] else { throw node.problem("stage is missing key \"\(k)\"") }
            return v
        }
        let idNode = try required("id")
        let id = try idNode.nonEmptyString()
        guard id.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 95 || $0 == 45 }) else {
            throw idNode.problem("stage id \"\(id)\" may use only a-z, 0-9, '.', '_' and '-' (it is part of event ids)")
        }
        let rule = try required("rule").nonEmptyString()
        let title = try fields["title"]?.nonEmptyString() ?? id

        let kindsNode = try required("kinds")
        var kinds = Set<SubjectKind>()
        for k in try kindsNode.sequence() { kinds.insert(try k.oneOf(SubjectKind.allCases, what: "kind")) }
        let subjects = Set(kinds.map(\.subject))
        guard subjects.count == 1, let inferred = subjects.first else {
            throw kindsNode.problem("kinds mix ticket and outage kinds; a stage times one or the other")
        }
        var subject = inferred
        if let s = fields["subject"] {
            subject = try s.oneOf(SubjectType.allCases, what: "subject")
            guard subject == inferred else { throw s.problem("subject \(subject.rawValue) does not match kinds, which are \(inferred.rawValue) kinds") }
        }

        let startNode = try required("start")
        let start = Set(try actions(startNode, subject: subject))
        guard !start.isEmpty else { throw startNode.problem("at least one starting action is needed") }
        let stopNode = try required("stop")
        let stop = try stops(stopNode, subject: subject)
        guard !stop.isEmpty else { throw stopNode.problem("at least one stopping action is needed") }
        let void = Set(try fields["void"].map { n throws(FileProblem) in try actions(n, subject: subject) } ?? [])
        if let clash = stop.first(where: { start.contains($0.action) }) {
            throw stopNode.problem("\(clash.action.rawValue) both starts and stops this stage")
        }
        if let clash = void.first(where: { start.contains($0) }) {
            throw (fields["void"] ?? node).problem("\(clash.rawValue) both starts and voids this stage")
        }

        let limit: StageLimit
        switch (fields["limit"], fields["due"]) {
        case (let l?, nil): limit = .after(try table(l, subject: subject))
        case (nil, let d?):
            guard subject == .outage else { throw d.problem("due: is for outage stages; ticket stages use limit:") }
            limit = try due(d)
        case (nil, nil): throw node.problem("stage needs \"limit\" (after the start) or \"due\" (before an outage instant)")
        case (_?, let d?): throw d.problem("give either limit or due, not both")
        }

        let alarms = try fields["alarms"]?.bool() ?? true
        var warnAt = defaultWarnAt
        if let w = fields["warn_at"] { warnAt = try share(w) }
        var ladder: [EscalationStep] = []
        if let e = fields["escalation"] {
            guard alarms else { throw e.problem("a stage with alarms: false has no escalation ladder") }
            for stepNode in try e.sequence() {
                let step = Dictionary(uniqueKeysWithValues: try stepNode.mapping(allowed: ["at", "level", "to"]))
                guard let at = step["at"], let level = step["level"], let to = step["to"] else {
                    throw stepNode.problem("an escalation step needs at, level and to")
                }
                let offset = try at.span()
                guard abs(offset.milliseconds) <= EventLimits.longestSpan.milliseconds else { throw at.problem("an escalation offset is at most 366d either side of the deadline") }
                ladder.append(EscalationStep(offset: offset, level: try level.nonEmptyString(), to: try to.nonEmptyString()))
            }
            ladder.sort { $0.offset < $1.offset }
            guard ladder.count <= StageMark.maxLadder else { throw e.problem("at most \(StageMark.maxLadder) escalation steps") }
            guard Set(ladder.map(\.level)).count == ladder.count else {
                throw e.problem("each step needs its own level (levels are part of event ids)")
            }
        }
        var immediate: ImmediateEscalation?
        if let i = fields["immediate_escalation"] {
            guard subject == .ticket else { throw i.problem("immediate escalation applies to tickets only") }
            let m = Dictionary(uniqueKeysWithValues: try i.mapping(allowed: ["when", "level", "to"]))
            guard let when = m["when"], let level = m["level"], let to = m["to"] else {
                throw i.problem("immediate_escalation needs when, level and to")
            }
            guard try when.string() == "multi_unit" else { throw when.problem("the only condition in contract v1 is multi_unit") }
            immediate = ImmediateEscalation(level: try level.nonEmptyString(), to: try to.nonEmptyString())
        }
        let skip = try fields["skip_if_linked"]?.bool() ?? false
        if skip, !kinds.contains(.faultRepair) {
            throw fields["skip_if_linked"]!.problem("only fault_repair tickets are linked to outages")
        }
        var timed = StageRule(id: id, rule: rule, title: title, subject: subject, kinds: kinds, start: start,
                              stop: stop, void: void, limit: limit, warnAt: alarms ? warnAt : nil,
                              escalation: ladder, immediate: immediate, skipIfLinked: skip, alarms: alarms)
        if let c = fields["charged"] { timed.charged = try c.oneOf(ChargedParty.allCases, what: "charged party") }
        if let m = fields["missed_on"] {
            timed.missedOn = Set(try actions(m, subject: subject))
            if let clash = timed.missedOn.first(where: { start.contains($0) || stop.map(\.action).contains($0) }) {
                throw m.problem("\(clash.rawValue) already starts or stops this stage; missed_on names what ends it missed")
            }
        }
        if let m = fields["missed_at"] {
            guard case .before = limit else { throw m.problem("missed_at is for stages counted back from an outage instant (due:)") }
            timed.missedAt = try m.oneOf(OutageInstant.allCases, what: "outage instant")
        }
        return timed
    }

    private static func share(_ n: YAMLNode) throws(FileProblem) -> Double? {
        if try n.string() == "none" { return nil }
        let d = try n.double()
        guard d > 0, d < 1 else { throw n.problem("a share of the time strictly between 0 and 1 (e.g. 0.8), or none") }
        return d
    }

    private static func actions(_ n: YAMLNode, subject: SubjectType) throws(FileProblem) -> [LifecycleAction] {
        var out: [LifecycleAction] = []
        for item in try n.sequence() {
            out.append(try item.oneOf(LifecycleAction.actions(of: subject), what: "\(subject.rawValue) action"))
        }
        return out
    }

    private static func stops(_ n: YAMLNode, subject: SubjectType) throws(FileProblem) -> [StopCondition] {
        var out: [StopCondition] = []
        for item in try n.sequence() {
            if item.isMapping {
                let m = Dictionary(uniqueKeysWithValues: try item.mapping(allowed: ["action", "reported_to"]))
                guard let a = m["action"] else { throw item.problem("a stop condition needs an action") }
                let action = try a.oneOf(LifecycleAction.actions(of: subject), what: "\(subject.rawValue) action")
                let desk = try m["reported_to"].map { r throws(FileProblem) in try r.oneOf(ReportedTo.allCases, what: "desk") }
                if desk != nil, action != .onsiteReported {
                    throw item.problem("reported_to narrows only onsite_reported")
                }
                out.append(StopCondition(action, reportedTo: desk))
            } else {
                out.append(StopCondition(try item.oneOf(LifecycleAction.actions(of: subject), what: "\(subject.rawValue) action")))
            }
        }
        return out
    }

    private static func amount(_ n: YAMLNode) throws(FileProblem) -> SLAAmount {
        let s = try n.string()
        guard let a = SLAAmount.parse(s) else {
            throw n.problem("not a limit: \"\(s)\" (write a positive duration up to 366d such as 45m or 2h, or working days up to 366wd such as 5wd)")
        }
        return a
    }

    private static func table(_ n: YAMLNode, subject: SubjectType) throws(FileProblem) -> LimitTable {
        guard n.isMapping else { return .single(try amount(n)) }
        let m = try n.mapping()
        guard let by = m.first(where: { $0.0 == "by" })?.1 else { throw n.problem("a limit table needs \"by: region\" or \"by: customer_class\"") }
        guard subject == .ticket else { throw n.problem("limit tables choose by ticket attributes; outage stages use one limit") }
        switch try by.string() {
        case "region":
            var t: [Region: SLAAmount] = [:]
            for (k, v) in try n.mapping(allowed: Set(["by"] + Region.allCases.map(\.rawValue))) where k != "by" {
                t[Region(rawValue: k)!] = try amount(v)
            }
            let missing = Region.allCases.filter { t[$0] == nil }
            guard missing.isEmpty else { throw n.problem("no limit for region \(missing.map(\.rawValue).joined(separator: ", "))") }
            return .byRegion(t)
        case "customer_class":
            var t: [CustomerClass: SLAAmount] = [:]
            var otherwise: SLAAmount?
            for (k, v) in try n.mapping(allowed: Set(["by", "otherwise"] + CustomerClass.allCases.map(\.rawValue))) where k != "by" {
                if k == "otherwise" { otherwise = try amount(v) } else { t[CustomerClass(rawValue: k)!] = try amount(v) }
            }
            guard !t.isEmpty || otherwise != nil else { throw n.problem("the table lists no customer class") }
            return .byCustomerClass(t, otherwise: otherwise)
        case let other:
            throw by.problem("cannot choose a limit by \"\(other)\" (expected region or customer_class)")
        }
    }

    private static func due(_ n: YAMLNode) throws(FileProblem) -> StageLimit {
        let m = Dictionary(uniqueKeysWithValues: try n.mapping(allowed: ["at", "lead"]))
        guard let at = m["at"] else { throw n.problem("due needs \"at\": start_at or est_restore_at") }
        let instant = try at.oneOf(OutageInstant.allCases, what: "outage instant")
        let lead = try m["lead"]?.span() ?? .zero
        guard lead >= .zero else { throw m["lead"]!.problem("lead must not be negative") }
        guard lead <= EventLimits.longestSpan else { throw m["lead"]!.problem("lead is at most 366d") }
        return .before(instant, lead: lead)
    }
}
