// What each parser under fuzzing is, its seed inputs, and how an outcome is named.

import Foundation
import SLACore

/// A parser under fuzzing.
struct FuzzTarget: Sendable {
    let name: String
    let seeds: @Sendable () -> [[UInt8]]
    /// Runs the parser; "accepted" or "refused: <reason with the variable parts set aside>".
    let signature: @Sendable ([UInt8]) -> String
    /// Inputs kept at most (the YAML files are large; a few dozen damaged copies cover them).
    var corpusLimit = 200

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func file(_ relative: String) -> [UInt8] {
        (try? Array(Data(contentsOf: root.appendingPathComponent(relative)))) ?? []
    }

    /// A reason without the parts that differ input to input: numbers and quoted text.
    static func shape(_ reason: String) -> String {
        var out = ""
        var quoted = false
        for c in reason {
            if c == "\"" { quoted.toggle(); out.append(c); continue }
            if quoted { continue }
            out.append(c.isNumber ? "#" : c)
        }
        return String(out.prefix(160))
    }

    /// The shipped calendar, for the rollup state's windows.
    static let rollupCalendar: BusinessCalendar? = try? CalendarLoader.parse(String(decoding: file("calendar/cn-mainland.yaml"), as: UTF8.self), file: "c.yaml")

    static let all: [FuzzTarget] = [
        FuzzTarget(name: "events", seeds: {
            String(decoding: file("samples/95598-sample-day.jsonl"), as: UTF8.self).split(separator: "\n").prefix(400).map { Array($0.utf8) }
        }, signature: { bytes in
            do throws(EventRejection) {
                let e = try EventDecoder.any(bytes)
                return "accepted " + (e.subject.type == .ticket ? "ticket" : "outage")
            } catch { return "refused: " + shape(error.description) }
        }),
        FuzzTarget(name: "outcomes", seeds: {
            [#"{"outcome_id":"ticket:T1:repair.arrival@20261120T001200Z:sla.missed@20261120T015000Z","result":"missed","ticket_id":"T1","kind":"fault_repair","stage":"repair.arrival","unit":"GDS","agent":"A7","region":"rural","deadline":"2026-11-20T09:42:00+08:00","at":"2026-11-20T09:50:00+08:00","elapsed_seconds":5880}"#,
             #"{"outcome_id":"ticket:T2:closure:e9","result":"callback","ticket_id":"T2","kind":"complaint","stage":"closure","unit":"U","at":"2026-11-20T09:50:00+08:00","satisfaction":4}"#,
             #"{"outcome_id":"outage:O1:outage.notice.planned@x:sla.overdue","result":"overdue","outage_id":"O1","kind":"planned","stage":"outage.notice.planned","at":"2026-11-13T08:00:00+08:00"}"#,
            ].map { Array($0.utf8) }
        }, signature: { bytes in
            do throws(EventRejection) { _ = try Outcome.decode(bytes); return "accepted" } catch { return "refused: " + shape(error.description) }
        }),
        // A chunk of the rollup stage's state (a changelog record `b|0|0|1`): the three outcomes
        // above counted in both views, written as one state set; restored, then taken and pruned.
        FuzzTarget(name: "rollup-state", seeds: {
            guard let calendar = rollupCalendar else { return [] }
            var book = RollupBook(calendar: calendar, rule: .standard, retention: .days(40))
            let now = Timestamp(milliseconds: 1_763_600_000_000)
            for seed in all[1].seeds() {
                guard let o = try? Outcome.decode(seed) else { continue }
                for view in RollupView.allCases { _ = book.apply(o, view: view, now: now) }
            }
            return book.takeChanges().state.compactMap(\.value)
        }, signature: { bytes in
            guard let calendar = rollupCalendar else { return "no calendar" }
            var book = RollupBook(calendar: calendar, rule: .standard, retention: .days(40))
            let unreadable = book.restore([("b|0|0|1", bytes)])
            _ = book.takeChanges()
            book.prune(now: Timestamp(milliseconds: 1_763_600_000_000))
            _ = book.takeChanges()
            return unreadable.first.map { "refused: " + shape($0.reason) } ?? "accepted \(book.slotCount) slots"
        }),
        FuzzTarget(name: "policy", seeds: { [file("policy/95598.yaml")] }, signature: { bytes in
            do throws(FileProblem) { _ = try PolicyLoader.parse(String(decoding: bytes, as: UTF8.self), file: "p.yaml"); return "accepted" } catch {
                return "refused: " + shape(error.reason)
            }
        }, corpusLimit: 40),
        FuzzTarget(name: "calendar", seeds: { [file("calendar/cn-mainland.yaml")] }, signature: { bytes in
            do throws(FileProblem) { _ = try CalendarLoader.parse(String(decoding: bytes, as: UTF8.self), file: "c.yaml"); return "accepted" } catch {
                return "refused: " + shape(error.reason)
            }
        }, corpusLimit: 40),
    ]
}
