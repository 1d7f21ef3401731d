import Foundation
import Testing
import SLACore
import SLAService
import SLATestSupport

extension RunCommandTests {
    /// The outcomes counted, scraped from `/metrics` (every disposition), or nil when it does not answer.
    static func rolledUp(_ base: String) -> Int? {
        guard let page = HTTPGet.fetch(base + "/metrics"), page.status == 200 else { return nil }
        return page.body.split(separator: "\n").filter { $0.hasPrefix(MetricName.rollupOutcomes + "{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0) { $0 + Int($1) }
    }

    /// `worker.rollup_interval` holds the rollup stage's take back, and with it the commit of the
    /// outcomes it has counted: killed with -9 while it holds them, the worker has published no
    /// rollup and committed none of them, and the next worker counts each of them once.
    @Test func outcomesCountedButNotYetTakenAreReadAgainAfterKillMinus9() throws {
        let c = try EndToEndCluster(partitions: 2)
        let calendar = try DefaultFiles.calendar()
        let config = try Self.files(c)
        let port = LoopbackPort.unused()
        let held = config.replacingOccurrences(of: "slawatch.yaml", with: "held.yaml")
        try (try String(contentsOfFile: config, encoding: .utf8) + "  rollup_interval: 1h\n  http_listen: 127.0.0.1:\(port)\n")
            .write(toFile: held, atomically: true, encoding: .utf8)
        let first = try Daemon(config: held)
        let base = "http://127.0.0.1:\(port)"
        #expect(EndToEndCluster.waitUntil(seconds: 30) { HTTPGet.fetch(base + "/readyz")?.status == 200 }, "\(first.process.isRunning ? "" : first.output.suffix(3000))")
        try c.send(RollupScenario.tickets(c, count: 30, prefix: "H", seed: 11, base: RollupScenario.acrossAnHour(lead: 20_000)))
        // The stage has counted every outcome on the topic (the same count on two reads a second apart).
        var counted = 0, onTopic = 0, same = 0
        let settled = try EndToEndCluster.waitUntil(seconds: 40) {
            let n = Self.rolledUp(base) ?? -1, t = try c.records(c.settings.outcomesTopic).count
            same = n == t && n == counted && t > 0 ? same + 1 : 0
            counted = n; onTopic = t
            return same >= 2
        }
        #expect(settled, "counted \(counted) of \(onTopic) outcome records")
        #expect(try c.rollups().filter { $0.key.hasPrefix("unit|") || $0.key.hasPrefix("agent|") }.isEmpty, "the take is held back: no rollup published yet")
        first.kill9()

        // The next worker takes at every checkpoint (the default interval).
        let second = try Daemon(config: config)
        defer { _ = second.terminate() }
        var last = (false, "")
        _ = try EndToEndCluster.waitUntil(seconds: 60) { last = try RollupScenario.check(c, calendar: calendar); return last.0 }
        #expect(last.0, "\(last.1)")
    }
}
