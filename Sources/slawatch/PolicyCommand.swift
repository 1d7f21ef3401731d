// `slawatch policy show`: the effective stage table.

import ArgumentParser
import SLACore
import SLAService

/// Policy tools.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Inspect an SLA policy.", subcommands: [Show.self, Export.self])

    /// Prints the stage table of a policy.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the effective stage table (refuses a bad policy with file, line and reason).")
        @Option(help: "Policy file (YAML). Default: the built-in 95598 policy.") var policy: String?

        func run() throws {
            let p = try FileProblemExit.catching { () throws(FileProblem) in try PolicyFiles.policy(at: policy) }
            print(PolicyTable.render(p), terminator: "")
        }
    }

    /// Prints the built-in policy file, as a starting point for an operator's own.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the built-in policy file.")
        func run() { print(DefaultFiles.policyText, terminator: "") }
    }
}

/// Prints the built-in calendar or checks one.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "Inspect a business calendar.", subcommands: [Check.self, Export.self])

    /// Validates a calendar file and summarises it.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a calendar file, list its years as official or provisional, and say how many days it covers ahead.",
            discussion: """
                Exit status: 0 when the file is valid and covers at least --min-days days from today;
                1 when it covers fewer (for a cron job or CI of the operator's); 1 with file, line and
                reason when the file is refused.
                """)
        @Argument(help: "Calendar file (YAML). Default: the built-in mainland China calendar.") var file: String?
        @Option(help: "Exit 1 when fewer days than this are covered from today.") var minDays: Int = 0
        @Option(help: "Take 'today' as this RFC 3339 instant instead of the system clock.") var now: String?

        func validate() throws {
            guard minDays >= 0 else { throw ValidationError("--min-days must be 0 or more") }
            if let now, RFC3339.parse(now) == nil { throw ValidationError("--now: not an RFC 3339 timestamp: \"\(now)\"") }
        }

        func run() throws {
            let c = try FileProblemExit.catching { () throws(FileProblem) in try PolicyFiles.calendar(at: file) }
            let today = now.flatMap { RFC3339.parse($0)?.0 } ?? SystemClock().now()
            print("calendar \(c.version); zone \(c.zone.identifier); \(c.holidays.count) holidays, \(c.adjustedWorkdays.count) adjusted working days")
            let todayDate = c.localDate(of: today)
            for year in c.coveredYears.sorted() {
                let end = c.instant(of: CivilDate(year: year, month: 12, day: 31)!, secondsAfterMidnight: 86_400)
                let left = (end.milliseconds - today.milliseconds) / 86_400_000
                let status = c.provisionalYears.contains(year) ? "provisional" : "official"
                let when = year < todayDate.year ? "past" : (left >= 0 ? "\(left) days left from today" : "past")
                print("  \(year)  \(status.padding(toLength: 11, withPad: " ", startingAt: 0))  \(when)")
            }
            let coverage = CalendarCoverage(c, now: today)
            print(coverage.summary(c))
            if coverage.daysLeft < minDays {
                Stderr.write("calendar check: \(coverage.daysLeft) days covered from today, fewer than --min-days \(minDays): add the next year\n")
                throw ExitCode(1)
            }
        }
    }

    /// Prints the built-in calendar file.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the built-in calendar file.")
        func run() { print(DefaultFiles.calendarText, terminator: "") }
    }
}
