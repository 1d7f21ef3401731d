// The attributes of a subject as of some point in its history (latest value wins).

/// A subject's attributes folded over its history up to a point: each field keeps its latest value.
struct SubjectAttributes {
    var unit: String?
    var region: Region?
    var customerClass: CustomerClass?
    var agent: String?
    var multiUnit = false
    var feeder: String?
    var area: String?
    var startAt: Timestamp?
    var estRestoreAt: Timestamp?

    /// Folds one more fact in.
    mutating func absorb(_ f: Fact) {
        if let v = f.unit { unit = v }
        if let v = f.region { region = v }
        if let v = f.customerClass { customerClass = v }
        if let v = f.agent { agent = v }
        if let v = f.multiUnit { multiUnit = v }
        if let v = f.feeder { feeder = v }
        if let v = f.area { area = v }
        if let v = f.startAt { startAt = v }
        if let v = f.estRestoreAt { estRestoreAt = v }
    }

    /// The feeder and area after the first `count` facts: those of ``of(_:count:)``, read from
    /// the latest fact back until both are found. The fault place index asks on every event of an
    /// unlinked fault ticket, and folding every attribute copied each fact's strings.
    static func place(_ facts: SubjectHistory.Facts, count: Int) -> (feeder: String?, area: String?) {
        var feeder: String?, area: String?
        var i = min(count, facts.count)
        while i > 0, feeder == nil || area == nil {
            i -= 1
            if feeder == nil { feeder = facts[i].feeder }
            if area == nil { area = facts[i].area }
        }
        return (feeder, area)
    }

    /// The attributes after the first `count` facts.
    static func of(_ facts: SubjectHistory.Facts, count: Int) -> SubjectAttributes {
        var a = SubjectAttributes()
        for f in facts.prefix(count) { a.absorb(f) }
        return a
    }
}
