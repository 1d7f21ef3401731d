// The unit holding a ticket at an instant: the one it was last dispatched to.

/// Finds the unit that holds a subject at a point of its history.
enum SubjectHolder {
    /// The unit of the latest `dispatched` at or before `until` (nil: the whole history), as
    /// known at that event (its own `unit`, else the latest one before it); when the subject
    /// was never dispatched by then, its latest `unit`.
    static func unit(of facts: SubjectHistory.Facts, until: Timestamp?) -> String? {
        var known: String?
        var dispatchedTo: String?
        var latest: String?
        for f in facts {
            if let u = f.unit { latest = u }
            if let until, f.time > until { continue }
            if let u = f.unit { known = u }
            if f.action == .dispatched { dispatchedTo = known }
        }
        return dispatchedTo ?? latest
    }
}
