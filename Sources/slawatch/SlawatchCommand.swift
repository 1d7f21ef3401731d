// The `slawatch` command line: the root command and its subcommands.

import ArgumentParser

/// `slawatch`: the 95598 SLA watcher.
@main
struct SlawatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slawatch",
        abstract: "Keeps the service promises of a 95598 hotline: SLA clocks, warnings, overdue and escalation events.",
        subcommands: [RunCommand.self, DemoCommand.self, CheckConfigCommand.self, ReplayCommand.self, DevBrokerCommandLine.self, TopicsCommand.self, PolicyCommand.self, CalendarCommand.self, VersionCommand.self]
    )
}
