// The policy and calendar shipped in policy/ and calendar/, embedded in the binary at build time.

import SLACore

/// The shipped default policy and calendar, so `slawatch` runs with no files at hand.
public enum DefaultFiles {
    /// Text of `policy/95598.yaml`.
    public static var policyText: String { String(decoding: PackageResources.default_policy_yaml, as: UTF8.self) }
    /// Text of `calendar/cn-mainland.yaml`.
    public static var calendarText: String { String(decoding: PackageResources.default_calendar_yaml, as: UTF8.self) }

    /// The name problems in the embedded policy are reported under.
    public static let policyName = "policy/95598.yaml (built in)"
    /// The name problems in the embedded calendar are reported under.
    public static let calendarName = "calendar/cn-mainland.yaml (built in)"

    /// The parsed default policy.
    public static func policy() throws(FileProblem) -> Policy { try PolicyLoader.parse(policyText, file: policyName) }
    /// The parsed default calendar.
    public static func calendar() throws(FileProblem) -> BusinessCalendar { try CalendarLoader.parse(calendarText, file: calendarName) }
}
