// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "slawatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "slawatch", targets: ["slawatch"]),
        .library(name: "SLACore", targets: ["SLACore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
    ],
    targets: [
        // librdkafka from the system (Debian: librdkafka-dev), found through pkg-config.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // Pure Swift: events, policy, calendar, tracker. No Kafka, no I/O, no wall clock.
        .target(
            name: "SLACore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // The only module that imports CRdKafka.
        .target(
            name: "SLAKafka",
            dependencies: ["CRdKafka", .product(name: "Logging", package: "swift-log")]
        ),
        // Wiring: replay engine, defaults, later the worker.
        .target(
            name: "SLAService",
            dependencies: [
                "SLACore",
                "SLAKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [
                .embedInCode("Defaults/default-policy.yaml"),
                .embedInCode("Defaults/default-calendar.yaml"),
                .embedInCode("Sink/Migrations/migration-1-rollups.sql"),
                .embedInCode("Sink/Migrations/migration-2-assessment.sql"),
                .embedInCode("Sink/Migrations/migration-3-volumes.sql"),
                .embedInCode("Sink/Migrations/migration-4-agents.sql"),
                .embedInCode("Sink/Migrations/migration-5-stars.sql"),
            ]
        ),
        .executableTarget(
            name: "slawatch",
            dependencies: [
                "SLAService",
                "SLACore",
                "SLAKafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // Benchmarks: release builds, run by hand or by scripts/bench; not tests.
        .target(name: "BenchmarkSupport", dependencies: ["SLACore"], path: "Benchmarks/Support"),
        .executableTarget(
            name: "TimingWheelBenchmark",
            dependencies: ["SLACore", "SLAService", "BenchmarkSupport", .product(name: "HeapModule", package: "swift-collections")],
            path: "Benchmarks/TimingWheelBenchmark"
        ),
        // End to end: the worker against a raw consumer, decode, restore, memory, lateness, catch-up.
        .executableTarget(
            name: "PipelineBenchmark",
            dependencies: ["SLACore", "SLAKafka", "SLAService", "BenchmarkSupport", .product(name: "Metrics", package: "swift-metrics")],
            path: "Benchmarks/PipelineBenchmark"
        ),
        // The ops board with 100 000 open clocks: build, /board and /api/clocks against a plain pass.
        .executableTarget(name: "BoardBenchmark", dependencies: ["SLACore", "SLAService", "BenchmarkSupport"], path: "Benchmarks/BoardBenchmark"),
        // A full-lifecycle mix through the released binary on a broker process, against kcat (issue 20).
        .executableTarget(name: "LifecycleBenchmark", dependencies: ["SLACore", "SLAKafka", "BenchmarkSupport", "SLATestSupport"], path: "Benchmarks/LifecycleBenchmark"),
        // The rollup stage's CPU per outcome record in one process, against decoding alone (issue 20).
        .executableTarget(name: "RollupBenchmark", dependencies: ["SLACore", "SLAService", "BenchmarkSupport"], path: "Benchmarks/RollupBenchmark"),
        // One hot ticket against the rest: ordinary tickets' time behind 20 000 events of one ticket.
        .executableTarget(name: "HotKeyBenchmark", dependencies: ["SLACore", "SLAKafka", "SLAService", "BenchmarkSupport", .product(name: "Logging", package: "swift-log")],
                          path: "Benchmarks/HotKeyBenchmark"),
        // The chaos harness (scripts/chaos): worker processes, faults, every event counted.
        .executableTarget(name: "ChaosHarness", dependencies: ["SLACore", "SLAKafka", "SLAService", .product(name: "Logging", package: "swift-log")],
                          path: "Tests/Chaos"),
        // Seeded mutation fuzzer of the parsers (release build; its corpus is replayed by the tests).
        .executableTarget(name: "Fuzz", dependencies: ["SLACore"], path: "Benchmarks/Fuzz"),
        // libFuzzer targets of the same parsers and the state codec (scripts/fuzz builds them with -sanitize=fuzzer).
        .executableTarget(name: "FuzzTargets", dependencies: ["SLACore"], path: "Benchmarks/LibFuzzer"),
        .testTarget(
            name: "SLACoreTests",
            dependencies: ["SLACore", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "SLAKafkaTests", dependencies: ["SLAKafka", .product(name: "Logging", package: "swift-log")]),
        // Shared by the end-to-end tests: a development cluster with slawatch's topics, a policy in seconds.
        .target(name: "SLATestSupport", dependencies: ["SLAService", "SLACore", "SLAKafka"], path: "Tests/SLATestSupport"),
        .testTarget(name: "SLAServiceTests", dependencies: ["SLAService", "SLACore", "SLAKafka", "SLATestSupport",
                                                    .product(name: "MetricsTestKit", package: "swift-metrics")]),
        // Runs the built binary as an operator would; depending on it makes sure it is built.
        .testTarget(name: "slawatchTests", dependencies: ["slawatch", "SLAKafka", "SLAService", "SLACore", "SLATestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
