// `slawatch run --config FILE`: the daemon.

import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import SLACore
import SLAKafka
import SLAService

/// Runs a worker until SIGTERM or SIGINT, or until it fails.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the SLA worker: consume ticket and outage events in a consumer group, emit SLA events.",
        discussion: """
            Reads the configuration file (kafka:, worker: and optionally topics: sections; see
            docs/configuration.md). SLAWATCH_KAFKA_<PROPERTY> and SLAWATCH_WORKER_<KEY> environment
            variables override it. Logs are JSON lines on stdout (--log-format text: plain lines on
            stderr). SIGTERM or SIGINT stops it gracefully: intake
            stops, outputs and state are flushed, offsets committed, the group left.

            Exit status: 0 after a graceful stop, 1 for a bad configuration or when the worker
            cannot go on (a topic is missing, a delivery failed for good, …): the message says why,
            and a restart resumes from the last checkpoint without losing anything.
            """)

    @Option(help: "Configuration file (YAML).") var config: String
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String = "info"
    @Option(help: "Log format: json (one object per line on stdout, for journald) or text (stderr).") var logFormat: String = "json"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level \(logLevel): expected one of trace, debug, info, notice, warning, error, critical")
        }
        guard ["json", "text"].contains(logFormat) else { throw ValidationError("--log-format \(logFormat): expected json or text") }
        // The same checks as `slawatch check-config`: every problem, then refuse.
        let check = ConfigCheck(path: config, environment: ProcessInfo.processInfo.environment)
        guard let parsed = check.config, let policy = check.policy, let calendar = check.calendar else {
            for p in check.problems { Stderr.write("slawatch: \(p)\n") }
            throw ExitCode(1)
        }
        Self.bootstrapMetrics()
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            if json { return JSONLogHandler(label: label, level: level) }
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "slawatch")
        // librdkafka's sockets and the HTTP server's connections share this limit (LimitNOFILE=).
        let descriptors = HTTPLimits.raiseOpenFileLimit()
        logger.info("configuration", metadata: ["kafka": "\(parsed.kafka)", "policy": "\(policy.version)", "calendar": "\(calendar.version)"])
        for w in check.warnings { logger.warning("configuration: \(w)") }
        let worker: SLAWorker
        do {
            worker = try SLAWorker(config: parsed, policy: policy, calendar: calendar, logger: Logger(label: "slawatch.worker"))
        } catch {
            Stderr.write("slawatch: \(error)\n")
            throw ExitCode(1)
        }
        // systemd (Type=notify): READY after the first restore, STATUS lines, WATCHDOG from the loop.
        let status = ServiceStatus()
        worker.add(observer: status)
        let now: @Sendable () -> Timestamp = { SystemClock().now() }
        let watch = CalendarWatch(calendar: calendar, warnDays: parsed.worker.calendarWarnDays, logger: Logger(label: "slawatch.calendar"))
        let info = FilesInfoGauges()
        info.show(FilesIdentity(policy: policy, calendar: calendar))
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: CalendarWatchService(watch: watch, now: now)),
            .init(service: ReloadService(policyPath: parsed.worker.policyPath, calendarPath: parsed.worker.calendarPath, worker: worker,
                                         watch: watch, info: info, logger: Logger(label: "slawatch.reload"), now: now)),
        ]
        if let listen = parsed.worker.httpListen {
            let registry = Self.registry
            // The ops board follows the group's SLA topics whole (docs/operations.md, "The ops board").
            let board: BoardFeed
            do { board = try BoardFeed(config: parsed, calendar: calendar, logger: Logger(label: "slawatch.board")) } catch {
                Stderr.write("slawatch: \(error)\n")
                throw ExitCode(1)
            }
            services.append(.init(service: board))
            services.append(.init(service: HealthServer.application(host: listen.host, port: listen.port, status: status,
                                                                    logger: Logger(label: "slawatch.http"), limits: HTTPLimits(descriptors: descriptors),
                                                                    detail: { watch.coverage(now: now()).summary },
                                                                    ticket: { [worker] id in worker.ticket(id).response(id: id) },
                                                                    board: board) { registry.emitToBuffer() }))
            let limits = HTTPLimits(descriptors: descriptors)
            logger.info("serving /metrics, /healthz, /readyz, /tickets/{id}, /board and /api/clocks", metadata: [
                "listen": "\(listen.host):\(listen.port)", "max_connections": "\(limits.maxConnections)", "open_file_limit": "\(descriptors)",
            ])
        }
        // The optional PostgreSQL sink of the rollups: its own consumer, its own thread.
        if parsed.worker.postgresURL != nil {
            do {
                services.append(.init(service: try RollupSink(config: parsed, logger: Logger(label: "slawatch.sink"))))
            } catch {
                Stderr.write("slawatch: \(error)\n")
                throw ExitCode(1)
            }
        }
        // Last in the list, first to stop: the worker flushes and leaves while /readyz says 503.
        services.append(.init(service: WorkerService(worker: worker)))
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch {
            Stderr.write("slawatch: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// The registry behind /metrics.
    static let registry = PrometheusCollectorRegistry()

    /// swift-metrics → Prometheus, with buckets that suit each histogram.
    static func bootstrapMetrics() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets[MetricName.timerLateness] = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 10, 60, 600, 3600]
        factory.valueHistogramBuckets[MetricName.restoreDuration] = [0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120]
        factory.valueHistogramBuckets[MetricName.commitLatency] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30]
        MetricsSystem.bootstrap(factory)
    }
}
