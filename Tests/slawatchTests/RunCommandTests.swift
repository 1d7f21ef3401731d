import Foundation
import Glibc
import Testing
import SLACore
import SLAKafka
import SLAService
import SLATestSupport

/// `slawatch run` as a process: killed with -9, restarted, refused a bad topic layout.
@Suite(.serialized) struct RunCommandTests {
    /// A running `slawatch run` whose stdout (JSON log lines) and stderr are collected.
    final class Daemon: @unchecked Sendable {
        // @unchecked: the process is driven from the test's thread; the logs are LockedData.
        let process = Process()
        let log = LockedData()
        let errors = LockedData()
        private let outPipe = Pipe(), errPipe = Pipe()

        /// With `openFiles`, the daemon runs under that limit of open files (soft and hard), as
        /// a unit without `LimitNOFILE=` would (systemd's default soft limit is 1 024).
        init(config: String, environment: [String: String] = [:], openFiles: Int? = nil) throws {
            if let openFiles {
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", "ulimit -n \(openFiles) && exec \"$0\" \"$@\"", CLI.binary.path, "run", "--config", config]
            } else {
                process.executableURL = CLI.binary
                process.arguments = ["run", "--config", config]
            }
            process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(CLI.noBacktracer) { a, _ in a }) { $1 }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = outPipe
            process.standardError = errPipe
            let out = outPipe.fileHandleForReading, err = errPipe.fileHandleForReading
            let log = log, errors = errors
            try process.run()
            Thread { log.set(out.readDataToEndOfFile()) }.start()
            Thread { errors.set(err.readDataToEndOfFile()) }.start()
        }

        /// Everything it wrote, once it has exited.
        var output: String {
            while !log.done || !errors.done { Thread.sleep(forTimeInterval: 0.01) }
            return String(decoding: log.value, as: UTF8.self) + String(decoding: errors.value, as: UTF8.self)
        }

        func kill9() { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }

        func terminate() -> Int32 {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    static func files(_ c: EndToEndCluster) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-run-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let policy = dir.appendingPathComponent("policy.yaml").path
        try SecondsPolicy.text.write(toFile: policy, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("slawatch.yaml").path
        try c.configFile(policyPath: policy).write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    @Test func killMinus9InTheMiddleLosesNoOverdueAndRepeatsOnlyIdenticalEvents() throws {
        let c = try EndToEndCluster(partitions: 3)
        let config = try Self.files(c)
        let first = try Daemon(config: config)
        // Warm: the daemon owns its partitions and answers.
        try c.send([("warm", c.ticket("warm", "created", at: SystemClock.read()))])
        #expect(try EndToEndCluster.waitUntil(seconds: 30) { try c.outputs().contains { $0.string("ticket_id") == "warm" } })
        let base = SystemClock.read()
        var events: [(key: String?, value: [UInt8])] = []
        for i in 0..<20 {
            events.append(("K\(i)", c.ticket("K\(i)", "created", at: base)))
            if i % 2 == 0 { events.append(("K\(i)", c.ticket("K\(i)", "dispatched", at: base.adding(TimeSpan(milliseconds: 300))))) }
        }
        try c.send(events)
        // Killed once it has started the clocks, before the arrival deadlines (base + 3.3 s).
        #expect(try EndToEndCluster.waitUntil(seconds: 5) { try c.outputs().filter { $0.type == "sla.started" }.count >= 30 })
        first.kill9()
        #expect(SystemClock.read() < base.adding(TimeSpan(milliseconds: 3300)), "killed before the arrival deadlines")
        let second = try Daemon(config: config)
        let until = base.adding(.seconds(6))
        let expected = try Set(expectedIds(events, until: until))
        var got: [Output] = []
        let complete = try EndToEndCluster.waitUntil(seconds: 40) {
            got = try c.outputs().filter { $0.string("ticket_id") != "warm" }
            return Set(got.map(\.eventId)).isSuperset(of: expected)
        }
        #expect(complete, "missing: \(expected.subtracting(got.map(\.eventId)).sorted())")
        #expect(Set(got.map(\.eventId)).subtracting(expected).isEmpty, "unexpected: \(Set(got.map(\.eventId)).subtracting(expected).sorted())")
        #expect(expected.filter { $0.contains("sla.overdue") }.count == 20)
        // A repeat is the same event: same id, same deadline, same occurred_at.
        // The repeat rate, for the record (at-least-once: usually 0 here, as the kill lands
        // after a checkpoint more often than not).
        print("kill -9 figures: \(got.count) outputs, \(Set(got.map(\.eventId)).count) distinct, \(got.count - Set(got.map(\.eventId)).count) repeats")
        for (id, copies) in Dictionary(grouping: got, by: \.eventId) where copies.count > 1 {
            #expect(Set(copies.map { "\($0.string("deadline") ?? "")|\($0.string("occurred_at") ?? "")" }).count == 1, "\(id)")
        }
        let status = second.terminate()
        #expect(status == 0, "\(second.output.suffix(2000))")
    }

    /// The event ids the tracker alone emits for `events` up to `until`.
    func expectedIds(_ events: [(key: String?, value: [UInt8])], until: Timestamp) throws -> [String] {
        var engine = ReplayEngine(tracker: SLATracker(policy: try SecondsPolicy.policy(), calendar: try DefaultFiles.calendar()))
        var out: [SLAEvent] = []
        let decoded = try events.map { try EventDecoder.any($0.value) }.sorted { $0.occurredAt < $1.occurredAt }
        for e in decoded { out += try engine.feed(e) }
        out += engine.advance(to: until)
        return out.map(\.eventId)
    }

    @Test func logsAreJSONLinesAndNeverShowTheSASLPassword() throws {
        let c = try EndToEndCluster(partitions: 2)
        let config = try Self.files(c)
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "kafka:\n", with: "kafka:\n  security.protocol: SASL_PLAINTEXT\n  sasl.mechanisms: PLAIN\n  sasl.username: slawatch\n  sasl.password: TOPSECRET-in-file\n")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try Daemon(config: config, environment: ["SLAWATCH_KAFKA_SSL_KEY_PASSWORD": "TOPSECRET-in-env"])
        // Let it connect, join and log, then stop it.
        _ = EndToEndCluster.waitUntil(seconds: 15) { daemon.log.value.count > 0 && String(decoding: daemon.log.value, as: UTF8.self).contains("partitions restored") || !daemon.process.isRunning }
        Thread.sleep(forTimeInterval: 1)
        _ = daemon.terminate()
        let out = daemon.output
        #expect(!out.isEmpty)
        #expect(!out.contains("TOPSECRET"), "\(out)")
        #expect(out.contains("sasl.password=***"))
        let lines = String(decoding: daemon.log.value, as: UTF8.self).split(separator: "\n")
        #expect(lines.count >= 3)
        for l in lines {
            let o = try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any]
            #expect(o?["level"] is String && o?["component"] is String && o?["message"] is String && o?["ts"] is String, "\(l)")
        }
    }

    @Test func tellsSystemdReadyOnlyAfterRestoreFeedsTheWatchdogAndSaysStopping() throws {
        let c = try EndToEndCluster(partitions: 2)
        let socket = try NotifySocket()
        let started = Date()
        let daemon = try Daemon(config: try Self.files(c), environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "1000000"])
        #expect(EndToEndCluster.waitUntil(seconds: 20) { socket.messages.contains { $0.text.hasPrefix("READY=1") } })
        Thread.sleep(forTimeInterval: 2.5)
        let status = daemon.terminate()
        #expect(status == 0)
        _ = EndToEndCluster.waitUntil(seconds: 2) { socket.messages.contains { $0.text.hasPrefix("STOPPING=1") } }
        let m = socket.messages
        let ready = try #require(m.firstIndex { $0.text.hasPrefix("READY=1") })
        #expect(m[ready].text.contains("STATUS=owning 6 partitions"), "\(m[ready].text)")
        // Ready only after the restore: the log line of the restore comes first, and a
        // restoring status precedes READY.
        #expect(m[..<ready].contains { $0.text == "STATUS=restoring 6 partitions" })
        let pings = m.filter { $0.text == "WATCHDOG=1" }
        #expect(pings.count >= 4, "a ping every half second: \(pings.count) in \(Date().timeIntervalSince(started)) s")
        #expect(m.last { $0.text.hasPrefix("STOPPING=1") } != nil)
        #expect(m.contains { $0.text.hasPrefix("STATUS=") && $0.text.contains("records consumed") })
    }

    @Test func servesHealthReadinessAndMetricsThatMoveWithEvents() throws {
        let c = try EndToEndCluster(partitions: 2)
        let config = try Self.files(c)
        let port = LoopbackPort.unused()
        try (try String(contentsOfFile: config, encoding: .utf8) + "  http_listen: 127.0.0.1:\(port)\n").write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try Daemon(config: config)
        defer { _ = daemon.terminate() }
        let base = "http://127.0.0.1:\(port)"
        var first: (status: Int, body: String)?
        _ = EndToEndCluster.waitUntil(seconds: 10) { first = HTTPGet.fetch(base + "/readyz"); return first != nil || !daemon.process.isRunning }
        if !daemon.process.isRunning { Issue.record("the daemon exited: \(daemon.output.suffix(3000))") }
        #expect(first?.status == 503, "not ready before the first assignment is restored: \(String(describing: first))")
        #expect(EndToEndCluster.waitUntil(seconds: 20) { HTTPGet.fetch(base + "/readyz")?.status == 200 })
        let ready = HTTPGet.fetch(base + "/readyz")?.body ?? ""
        #expect(ready.hasPrefix("ready: 6 partitions restored\ncalendar cn-mainland-2026.12-p2027 covers until "), "\(ready)")
        #expect(HTTPGet.fetch(base + "/healthz")?.status == 200)
        func metric(_ text: String, _ prefix: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.split(separator: " ").last ?? "") }
        }
        let before = try #require(HTTPGet.fetch(base + "/metrics"))
        #expect(before.status == 200)
        for name in ["slawatch_restore_duration_seconds_count", "slawatch_producer_queue_depth", "slawatch_commit_latency_seconds_count",
                     "slawatch_timer_lateness_seconds_count", "slawatch_duplicate_events_total",
                     "slawatch_calendar_covered_until_seconds", "slawatch_calendar_provisional_years",
                     "slawatch_policy_info{version=\"e2e-seconds\"}", "slawatch_calendar_info{version=\"cn-mainland-2026.12-p2027\"}"] {
            #expect(before.body.contains(name), "\(name) missing")
        }
        #expect(metric(before.body, "slawatch_restore_duration_seconds_count") == 1)
        let now = SystemClock.read()
        try c.send([("M1", c.ticket("M1", "created", at: now)), ("M2", c.ticket("M2", "created", at: now)),
                    ("bad", Array("nope".utf8))])
        var after = ""
        #expect(EndToEndCluster.waitUntil(seconds: 15) {
            after = HTTPGet.fetch(base + "/metrics")?.body ?? ""
            return metric(after, "slawatch_timer_lateness_seconds_count").map { $0 >= 2 } ?? false
        }, "the dispatch warnings fired: \(after)")
        #expect(metric(after, "slawatch_records_consumed_total{topic=\"95598.tickets\"}") == 3)
        #expect(metric(after, "slawatch_dead_lettered_total{topic=\"95598.tickets\"}") == 1)
        #expect(metric(after, "slawatch_decode_errors_total{topic=\"95598.tickets\"}") == 1)
        #expect(metric(after, "slawatch_events_emitted_total{type=\"sla.started\"}") == 2)
        #expect(metric(after, "slawatch_active_clocks{stage=\"repair.dispatch\"}") == 2)
        #expect(after.contains("slawatch_timer_lateness_seconds_bucket{le=\"0.01\"}"))
        // How a held ticket's deadline was worked out (2 s after its creation, e2e policy) …
        let m1 = try #require(HTTPGet.fetch(base + "/tickets/M1"))
        #expect(m1.status == 200, "\(m1.body)")
        let explained = try #require(try JSONSerialization.jsonObject(with: Data(m1.body.utf8)) as? [String: Any])
        let dispatch = (explained["cycles"] as? [[String: Any]])?.first { $0["stage"] as? String == "repair.dispatch" }
        #expect(dispatch?["deadline"] as? String == (try DefaultFiles.calendar()).format(now.adding(.seconds(2))), "\(m1.body)")
        #expect(dispatch?["limit"] as? String == "2s" && explained["policy_version"] as? String == "e2e-seconds")
        // … and for one it does not hold, where it lives; a bad id is refused.
        let missing = try #require(HTTPGet.fetch(base + "/tickets/NOPE"))
        #expect(missing.status == 404 && missing.body.contains(#""error":"not held by this instance""#) && missing.body.contains(#""partition":"#), "\(missing.body)")
        #expect(HTTPGet.fetch(base + "/tickets/" + String(repeating: "x", count: 129))?.status == 400)
        // Lag appears once librdkafka's statistics (every 10 s) have come in.
        _ = EndToEndCluster.waitUntil(seconds: 12) { (HTTPGet.fetch(base + "/metrics")?.body ?? "").contains("slawatch_consumer_lag{") }
        let lagged = HTTPGet.fetch(base + "/metrics")?.body ?? ""
        #expect(lagged.contains("slawatch_consumer_lag{topic=\"95598.tickets\""))
    }

    @Test func exitsWithTheReasonWhenTheHTTPPortIsTaken() throws {
        let c = try EndToEndCluster(partitions: 2)
        let config = try Self.files(c)
        let taken = LoopbackPort.occupied()
        defer { close(taken.descriptor) }
        try (try String(contentsOfFile: config, encoding: .utf8) + "  http_listen: 127.0.0.1:\(taken.port)\n").write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try Daemon(config: config)
        // The HTTP service fails at once; the group cancels the worker, which stops and leaves.
        let exited = EndToEndCluster.waitUntil(seconds: 60) { !daemon.process.isRunning }
        guard exited else { daemon.kill9(); Issue.record("still running a minute after its HTTP port was refused"); return }
        #expect(daemon.process.terminationStatus == 1)
        #expect(daemon.output.contains("Address already in use"), "\(daemon.output.suffix(2000))")
    }

    @Test func runsUnderMemoryDenyWriteExecute() throws {
        // What systemd's MemoryDenyWriteExecute=yes enforces, set with prctl(PR_SET_MDWE) by
        // scripts/mdwe-run: first a control that it bites, then slawatch under it.
        let control = try CLI.run(["-c", "import mmap; mmap.mmap(-1, 4096, prot=7)"], executable: "/usr/bin/python3", wrapped: true)
        guard control.status != 3 else { return }  // the kernel has no PR_SET_MDWE: nothing to measure
        #expect(control.status != 0 && control.stderr.contains("PermissionError"), "\(control.stderr)")
        let demo = try CLI.run(["demo", "--seconds", "3", "--speed", "300", "--plain"], wrapped: true)
        #expect(demo.status == 0, "\(demo.stderr.suffix(1500))")
        #expect(demo.stdout.contains("slawatch demo summary"))
    }

    @Test func refusesAChangelogWithADifferentPartitionCount() throws {
        let c = try EndToEndCluster(partitions: 4, changelogPartitions: 2)
        let r = try CLI.run(["run", "--config", try Self.files(c)])
        #expect(r.status == 1)
        #expect(r.stderr.contains("ticket_changelog slawatch.tickets.changelog has 2 partitions but tickets_topic 95598.tickets has 4"), "\(r.stderr)")
    }

    @Test func refusesABadConfigurationWithFileLineAndKey() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slawatch-bad-\(UUID()).yaml").path
        try "kafka:\n  bootstrap.servers: 127.0.0.1:1\nworker:\n  commit_interval: often\n".write(toFile: dir, atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", "--config", dir])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(dir):4:20: worker.commit_interval: \"often\" is not a duration"), "\(r.stderr)")
    }
}
