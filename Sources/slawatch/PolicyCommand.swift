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
        static let configuration = CommandConfiguration(abstract: "Validate a calendar file and list the years it covers.")
        @Argument(help: "Calendar file (YAML). Default: the built-in mainland China calendar.") var file: String?

        func run() throws {
            let c = try FileProblemExit.catching { () throws(FileProblem) in try PolicyFiles.calendar(at: file) }
            print("zone \(c.zone.identifier); years \(c.coveredYears.sorted().map(String.init).joined(separator: ", ")); "
                  + "\(c.holidays.count) holidays, \(c.adjustedWorkdays.count) adjusted working days")
        }
    }

    /// Prints the built-in calendar file.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the built-in calendar file.")
        func run() { print(DefaultFiles.calendarText, terminator: "") }
    }
}
