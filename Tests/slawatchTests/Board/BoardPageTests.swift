import Foundation
import Testing
import SLACore
import SLAKafka
import SLAService
import SLATestSupport

/// `/board` of a running `slawatch run`, loaded by headless Chromium after a scenario on the
/// development broker: the DOM lists exactly the tickets the scenario makes overdue and due
/// soon, none of those met, and `/api/clocks` answers the same.
@Suite struct BoardPageTests {
    /// Debian's Chromium, or `$SLAWATCH_CHROMIUM`.
    static var chromium: String { ProcessInfo.processInfo.environment["SLAWATCH_CHROMIUM"] ?? "/usr/bin/chromium" }

    /// Runs headless Chromium with `args` and returns its stdout.
    static func browse(_ args: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            throw PrometheusServer.Failure(description: "\(chromium) is missing: scripts/bootstrap installs Debian's chromium")
        }
        let p = Process(), out = Pipe(), err = Pipe()
        p.executableURL = URL(fileURLWithPath: chromium)
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                       "--user-data-dir=\(FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-chromium-\(UUID())").path)"] + args
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let errors = LockedData()
        let e = err.fileHandleForReading
        Thread { errors.set(e.readDataToEndOfFile()) }.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The `data-ticket` of every row of class `clock <list>` in `dom`.
    static func tickets(_ dom: String, list: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"<tr class="clock \#(list)" data-ticket="([^"]*)""#)
        let ns = dom as NSString
        return Set(pattern.matches(in: dom, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) })
    }

    @Test func theBoardShowsExactlyTheOverdueAndDueSoonTicketsOfTheScenario() throws {
        let c = try EndToEndCluster(partitions: 2)
        let config = try RunCommandTests.files(c)
        let http = LoopbackPort.unused()
        try (try String(contentsOfFile: config, encoding: .utf8) + "  http_listen: 127.0.0.1:\(http)\n").write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try RunCommandTests.Daemon(config: config)
        defer { _ = daemon.terminate() }
        let base = "http://127.0.0.1:\(http)"
        #expect(EndToEndCluster.waitUntil(seconds: 30) { HTTPGet.fetch(base + "/readyz")?.status == 200 },
                "\(daemon.process.isRunning ? "" : daemon.output.suffix(3000))")

        // SecondsPolicy: repair dispatch within 2 s, arrival within 3 s of dispatch, complaints
        // dispatched within 30 s. By hand, 6 s after t0:
        //   LATE-DISPATCH created, never dispatched       → overdue (repair.dispatch, due t0+2)
        //   LATE-ARRIVAL  created, dispatched at 0.3      → dispatch met; overdue (repair.arrival, due t0+3.3), ladder supervisor at t0+4.3
        //   ON-TIME       created, dispatched 0.3, arrived 1 → both met: on no list
        //   COMPLAINT     complaint created               → due soon (appeal.dispatch, due t0+30)
        let t0 = SystemClock.read()
        func ms(_ n: Int64) -> Timestamp { t0.adding(TimeSpan(milliseconds: n)) }
        try c.send([("LATE-DISPATCH", c.ticket("LATE-DISPATCH", "created", at: t0)),
                    ("LATE-ARRIVAL", c.ticket("LATE-ARRIVAL", "created", at: t0)),
                    ("ON-TIME", c.ticket("ON-TIME", "created", at: t0)),
                    ("COMPLAINT", c.ticket("COMPLAINT", "created", at: t0, kind: "complaint"))])
        Thread.sleep(forTimeInterval: 0.3)
        try c.send([("LATE-ARRIVAL", c.ticket("LATE-ARRIVAL", "dispatched", at: ms(300))), ("ON-TIME", c.ticket("ON-TIME", "dispatched", at: ms(300)))])
        Thread.sleep(forTimeInterval: 0.7)
        try c.send([("ON-TIME", c.ticket("ON-TIME", "arrived", at: ms(1000)))])

        func api(_ q: String) -> [String: Any] {
            guard let body = HTTPGet.fetch(base + "/api/clocks?" + q)?.body,
                  let o = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return [:] }
            return o
        }
        func ids(_ o: [String: Any]) -> Set<String> { Set(((o["clocks"] as? [[String: Any]]) ?? []).compactMap { $0["ticket_id"] as? String }) }
        let expectedOverdue: Set = ["LATE-DISPATCH", "LATE-ARRIVAL"]
        var overdue: [String: Any] = [:]
        let settled = EndToEndCluster.waitUntil(seconds: 30) {
            overdue = api("state=overdue")
            return ids(overdue) == expectedOverdue
                && ((overdue["clocks"] as? [[String: Any]]) ?? []).contains { $0["ticket_id"] as? String == "LATE-ARRIVAL" && $0["level"] as? String == "supervisor" }
        }
        #expect(settled, "\(overdue)")
        #expect(ids(api("state=due&within=30m")) == ["COMPLAINT"])
        #expect(ids(api("state=due&within=1s")).isEmpty)
        #expect(HTTPGet.fetch(base + "/api/clocks?state=late")?.status == 400)

        // The page, as a browser renders it.
        let dom = try Self.browse(["--virtual-time-budget=2000", "--dump-dom", base + "/board"])
        #expect(Self.tickets(dom, list: "overdue") == expectedOverdue, "\(dom.prefix(3000))")
        #expect(Self.tickets(dom, list: "due") == ["COMPLAINT"])
        #expect(!dom.contains("data-ticket=\"ON-TIME\""))
        #expect(dom.contains("已超时"))
        #expect(dom.contains("督办"))   // LATE-ARRIVAL's ladder level, supervisor
        // Today's rates: U1's dispatch met twice (LATE-ARRIVAL, ON-TIME), arrival met once (ON-TIME).
        #expect(dom.contains(#"<tr class="rate" data-unit="U1" data-stage="repair.dispatch"><td>U1</td><td>抢修派单</td><td>2</td><td>0</td>"#))
        #expect(dom.contains(#"<tr class="rate" data-unit="U1" data-stage="repair.arrival"><td>U1</td><td>到达现场</td><td>1</td><td>0</td>"#))
        let english = try Self.browse(["--virtual-time-budget=2000", "--dump-dom", base + "/board?lang=en"])
        #expect(english.contains("Overdue now"))
        #expect(Self.tickets(english, list: "overdue") == expectedOverdue)

        // A screenshot for docs/ when asked (SLAWATCH_BOARD_SCREENSHOT=docs/board.png).
        if let shot = ProcessInfo.processInfo.environment["SLAWATCH_BOARD_SCREENSHOT"] {
            _ = try Self.browse(["--window-size=1100,900", "--screenshot=\(shot)", base + "/board"])
            #expect(FileManager.default.fileExists(atPath: shot))
        }
    }
}
