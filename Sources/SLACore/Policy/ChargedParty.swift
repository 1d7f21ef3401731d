// Who answers for a stage: the 95598 centre, or the unit holding the ticket when it ends.

/// The party a stage's verdicts and alarms are charged to (`charged:` in the policy).
///
/// Dispatching and outage notices are the centre's duty (rules 2, 8, 14: the centre's duty
/// officers notify, transmit and publish); every other stage is the work of whichever unit
/// holds the ticket, which changes when the centre re-dispatches it.
public enum ChargedParty: String, Sendable, Hashable, CaseIterable {
    /// The 95598 centre, named by the policy's `centre:` setting.
    case centre
    /// The unit holding the subject when the stage ends: the unit of the latest `dispatched`
    /// at or before the end, else the subject's own `unit`.
    case holder
}
