// `slawatch demo`: the whole system on one machine, with a live view, for a bounded time.

import ArgumentParser
import Foundation
import Glibc
import Logging
import SLAService

/// Starts a development broker, generated traffic and two workers; shows what they do.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run slawatch end to end on this machine: development broker, generated 95598 traffic, two workers, a live view.",
        discussion: """
            Needs nothing but this binary: the broker is librdkafka's mock cluster, in-process on
            loopback. Traffic (fault repairs with late crews and misrouted tickets, complaints
            some of which need several units, reports, consultations, new connections, a planned
            outage announced too late, a fault outage restored after its estimate, two malformed
            records) runs on an accelerated clock. The view is redrawn every second on a terminal,
            or printed as one line per second into a pipe. Exits 0 after --seconds and a summary.
            """)

    @Option(help: "Real seconds to run (1-3600).") var seconds = 60
    @Option(help: "Simulated seconds per real second.") var speed = 60.0
    @Option(help: "Fault repairs per simulated hour (other kinds scale with it).") var rate = 120
    @Option(help: "Seed of the traffic generator.") var seed: UInt64 = 1
    @Option(help: "Worker instances in the consumer group (1-8).") var workers = 2
    @Flag(help: "One progress line per second even on a terminal.") var plain = false

    func validate() throws {
        guard (1...3600).contains(seconds) else { throw ValidationError("--seconds must be 1…3600") }
        guard speed > 0, speed <= 100_000 else { throw ValidationError("--speed must be above 0 and at most 100000") }
        guard (1...100_000).contains(rate) else { throw ValidationError("--rate must be 1…100000") }
        guard (1...8).contains(workers) else { throw ValidationError("--workers must be 1…8") }
    }

    func run() throws {
        // Workers and librdkafka log warnings only: the view is the demo's output.
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = .warning
            return h
        }
        var demo = DemoRun()
        demo.seconds = seconds
        demo.speed = speed
        demo.faultRepairsPerHour = rate
        demo.seed = seed
        demo.workers = workers
        demo.live = !plain && isatty(1) == 1
        do {
            let outcome = try demo.run { Stdout.write($0) }
            Stdout.write(DemoRun.summary(outcome))
        } catch {
            Stderr.write("slawatch demo: \(error)\n")
            throw ExitCode(1)
        }
    }
}
