// The working days a working-day limit walks, and what they make of the deadline.

/// The result of counting "N working days after" an instant on a ``BusinessCalendar``.
public struct WorkingDayCount: Sendable, Equatable {
    /// The working days counted, in order (N of them).
    public var days: [CivilDate]
    /// The end of the last counted day (24:00, or the close of business).
    public var deadline: Timestamp
    /// Whether any day walked lies in a provisional year: the deadline may move when the
    /// year's official notice is loaded.
    public var provisional: Bool
}
