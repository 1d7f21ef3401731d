// The `kind` field of ticket and outage events (工单类型 / 停电类型).

/// The `kind` of a ticket or an outage, as in the v1 event contract.
///
/// Ticket and outage kinds share one enum so that the policy engine can treat both alike;
/// ``subject`` says which side a kind belongs to.
public enum SubjectKind: String, Sendable, Hashable, CaseIterable {
    /// 故障报修: a power fault reported by a customer.
    case faultRepair = "fault_repair"
    /// 投诉: a service-quality complaint.
    case complaint
    /// 举报: a misconduct or violation report.
    case report
    /// 建议.
    case suggestion
    /// 表扬.
    case praise
    /// 咨询.
    case consultation
    /// 查询.
    case query
    /// 业扩报装: a new supply or capacity change.
    case newConnection = "new_connection"
    /// 计划停电.
    case planned
    /// 临时停电.
    case temporary
    /// 故障停电.
    case fault
    /// 欠费停电.
    case arrears
    /// 拉闸限电.
    case loadShedding = "load_shedding"
    /// Any other outage.
    case other

    /// Which subject this kind describes.
    public var subject: SubjectType {
        switch self {
        case .planned, .temporary, .fault, .arrears, .loadShedding, .other: return .outage
        default: return .ticket
        }
    }

    /// The kinds of one subject, in contract order.
    public static func kinds(of subject: SubjectType) -> [SubjectKind] {
        subject == .ticket ? ticketKinds : outageKinds
    }
    // Computed once: the decoder asks for them on every event.
    private static let ticketKinds = allCases.filter { $0.subject == .ticket }
    private static let outageKinds = allCases.filter { $0.subject == .outage }
}
