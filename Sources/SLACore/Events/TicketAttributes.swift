// Enumerated ticket fields: region, customer class, and where an on-site report went.

/// `region` of a fault-repair ticket: it chooses the arrival limit (rule 3).
public enum Region: String, Sendable, Hashable, CaseIterable {
    case urban, rural, remote
}

/// `customer_class`: it chooses new-connection limits (rules 16 and 17).
public enum CustomerClass: String, Sendable, Hashable, CaseIterable {
    case residential
    case nonResidential = "non_residential"
    case lowVoltage = "low_voltage"
    case hvSingle = "hv_single"
    case hvDual = "hv_dual"
}

/// `reported_to` of an `onsite_reported` event (rule 4).
public enum ReportedTo: String, Sendable, Hashable, CaseIterable {
    case county, city
}
