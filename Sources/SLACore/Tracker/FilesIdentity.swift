// Which policy and calendar a subject was last evaluated under, so a change of either is noticed.

/// The policy and calendar in force, by name and content.
public struct FilesIdentity: Sendable, Equatable {
    public var policyVersion: String
    public var policyHash: UInt64
    public var calendarVersion: String
    public var calendarHash: UInt64

    /// The files of a tracker.
    public init(policy: Policy, calendar: BusinessCalendar) {
        policyVersion = policy.version; policyHash = policy.contentHash
        calendarVersion = calendar.version; calendarHash = calendar.contentHash
    }

    /// Stored with every subject's state (8 bytes): a state evaluated under other files has another tag.
    public var tag: UInt64 {
        var b = Array(String(policyHash).utf8)
        b.append(0)
        b.append(contentsOf: String(calendarHash).utf8)
        return StableHash.fnv1a(b)
    }

    /// What changed from `old` to these files: a reason code and a text for `sla.rescheduled`.
    /// With no `old` (a state another instance wrote), only the files now in force can be named.
    public func change(from old: FilesIdentity?) -> (code: String, text: String) {
        guard let old else {
            return ("files", "the files of the instance that last held it → policy \(policyVersion), calendar \(calendarVersion)")
        }
        func name(_ v: String, _ h: UInt64) -> String { v + (old.policyVersion == policyVersion && old.calendarVersion == calendarVersion ? " (" + String(StableHash.hex(h).prefix(8)) + ")" : "") }
        let policy = old.policyHash != policyHash, calendar = old.calendarHash != calendarHash
        var parts: [String] = []
        if policy { parts.append("policy \(name(old.policyVersion, old.policyHash)) → \(name(policyVersion, policyHash))") }
        if calendar { parts.append("calendar \(name(old.calendarVersion, old.calendarHash)) → \(name(calendarVersion, calendarHash))") }
        let code = policy && calendar ? "policy_and_calendar" : (policy ? "policy" : "calendar")
        return (code, parts.joined(separator: "; "))
    }
}
