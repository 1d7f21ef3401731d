// The month's ranking (排名) of graded scorecards: the rule the reports and the summary share.

/// Ranks scorecards of one view and month by score, as `rank()` does in SQL: ties share a
/// rank and the next rank skips (100, 95, 95, 90 → 1, 2, 2, 4). Only graded scorecards are
/// ranked: a unit with too few verdicts is shown as "insufficient volume", not placed.
public enum Ranking {
    /// The rank of every graded scorecard, by view, month and owner.
    public static func ranks(_ cards: [Scorecard]) -> [String: Int] {
        var byMonth: [String: [Int64]] = [:]
        for c in cards where c.graded { byMonth["\(c.view.rawValue)|\(c.month.label)", default: []].append(c.score) }
        var out: [String: Int] = [:]
        for c in cards where c.graded {
            let scores = byMonth["\(c.view.rawValue)|\(c.month.label)"]!
            out[c.keyText] = rank(of: c.score, among: scores)
        }
        return out
    }

    /// The rank among `scores` of a graded score (1 + how many are higher).
    public static func rank<S: Comparable>(of score: S, among scores: [S]) -> Int { 1 + scores.filter { $0 > score }.count }
}
