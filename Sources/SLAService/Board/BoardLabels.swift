// The board's words, in Chinese (the 95598 staff's language, the default) and English.

/// Labels of the ops board and its API's human-readable fields. Stage names are given for the
/// default policy's stages; another policy's stage is shown by its id.
public struct BoardLabels: Sendable {
    /// The board's languages: `zh` (default) and `en`.
    public enum Language: String, Sendable, CaseIterable { case zh, en }

    public let language: Language

    public init(_ language: Language) { self.language = language }

    private func pick(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    var title: String { pick("95598 时限监控看板", "95598 SLA board") }
    var overdue: String { pick("已超时", "Overdue now") }
    var dueSoon: String { pick("即将到期", "Due soon") }
    var unresolved: String { pick("无法计时", "Cannot be timed") }
    var todayRates: String { pick("今日及时率", "Today's on-time rate") }
    var unit: String { pick("责任单位", "Unit charged") }
    var allUnits: String { pick("全部单位", "All units") }
    var ticket: String { pick("工单", "Ticket") }
    var stage: String { pick("环节", "Stage") }
    var deadline: String { pick("时限", "Deadline") }
    var overdueBy: String { pick("超时时长", "Overdue by") }
    var remaining: String { pick("剩余", "Left") }
    var level: String { pick("督办层级", "Ladder level") }
    var reason: String { pick("原因", "Reason") }
    var since: String { pick("开始时间", "Started") }
    var met: String { pick("及时", "Met") }
    var missed: String { pick("超时", "Missed") }
    var rate: String { pick("及时率", "On-time rate") }
    var none: String { pick("无", "None") }
    var catchingUp: String { pick("正在读取历史事件，看板尚不完整", "Reading the published events; the board is not complete yet") }
    var within: String { pick("分钟内到期", "minutes") }
    var updated: String { pick("更新于", "Updated") }
    var followingSince: String { pick("所读事件最早于", "Events read since") }
    var otherLanguage: (label: String, code: String) { language == .zh ? ("English", "en") : ("中文", "zh") }

    /// The name of a stage of the default policy, or the id.
    func stageName(_ id: String) -> String {
        guard let names = Self.stages[id] else { return id }
        return language == .zh ? names.0 : names.1
    }

    /// The name of a ladder level (`urge` 催办 …), or the level as published.
    func levelName(_ level: String?) -> String {
        guard let level else { return "" }
        guard let names = Self.levels[level] else { return level }
        return language == .zh ? names.0 : names.1
    }

    private static let stages: [String: (String, String)] = [
        "repair.dispatch": ("抢修派单", "Repair dispatch"), "repair.arrival": ("到达现场", "Crew on site"),
        "repair.commitment": ("抢修承诺", "Repair commitment"), "repair.onsite_report.county": ("到场汇报（县）", "On-site report, county"),
        "repair.onsite_report.city": ("到场汇报（市）", "On-site report, city"), "repair.return": ("抢修回退", "Repair return"),
        "appeal.dispatch": ("诉求派单", "Work order dispatch"), "appeal.return": ("诉求回退", "Work order return"),
        "complaint.resolution": ("投诉处理", "Complaint resolution"), "report.resolution": ("举报处理", "Report resolution"),
        "outage.notice.planned": ("计划停电公告", "Planned outage notice"), "outage.notice.temporary": ("临时停电公告", "Temporary outage notice"),
        "outage.restoration": ("停电恢复", "Restoration"), "connection.power_on": ("新装送电", "Power-on"),
        "connection.plan_reply": ("供电方案答复", "Supply plan reply"),
    ]

    private static let levels: [String: (String, String)] = [
        "reminder": ("提醒", "reminder"), "urge": ("催办", "urge"), "supervisor": ("督办", "supervisor"), "leader": ("领导督办", "leader"),
    ]
}
