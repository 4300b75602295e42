// swift-tools-version: 6.2
import PackageDescription

// MARK: - Settings shared by every target

/// Swift 6 language mode everywhere, plus the upcoming features the house style asks for.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// MARK: - External packages

let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let serviceLifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let configuration: Target.Dependency = .product(name: "Configuration", package: "swift-configuration")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")
let sqlKit: Target.Dependency = .product(name: "SQLKit", package: "sql-kit")
let sqliteKit: Target.Dependency = .product(name: "SQLiteKit", package: "sqlite-kit")
let postgresKit: Target.Dependency = .product(name: "PostgresKit", package: "postgres-kit")

// MARK: - Helpers that stamp out similar targets

/// A service's shell library (`<Name>App`) and its thin executable (`huddle-<name>`).
func service(_ name: String, executable: String, dependencies: [Target.Dependency] = []) -> [Target] {
    [
        .target(
            name: "\(name)App",
            dependencies: ["ServiceKit", "Messages", logging] + dependencies as [Target.Dependency],
            path: "Services/\(name)/App",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: executable,
            dependencies: [.target(name: "\(name)App"), "ServiceKit"],
            path: "Services/\(name)/Main",
            swiftSettings: strictSettings
        ),
    ]
}

let package = Package(
    name: "Huddle",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ZeroMQ", targets: ["ZeroMQ"]),
        .executable(name: "huddle-accounts", targets: ["huddle-accounts"]),
        .executable(name: "huddle-signals", targets: ["huddle-signals"]),
        .executable(name: "huddle-coaching", targets: ["huddle-coaching"]),
        .executable(name: "huddle-reporting", targets: ["huddle-reporting"]),
        .executable(name: "huddle-bus", targets: ["huddle-bus"]),
        .executable(name: "huddle", targets: ["huddle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
    ],
    targets: [
        // MARK: Shared libraries

        /// libzmq, as Debian's libzmq3-dev installs it.
        .systemLibrary(
            name: "CZeroMQ",
            path: "Shared/CZeroMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        /// libsqlite3, as Debian's libsqlite3-dev installs it.
        .systemLibrary(
            name: "CSQLite",
            path: "Shared/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        /// A small binding over libsqlite3 with prepared statements kept; the only module that imports CSQLite.
        .target(
            name: "SQLite",
            dependencies: ["CSQLite"],
            path: "Shared/SQLite",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// A safe, fast Swift binding over libzmq; the only module that imports CZeroMQ.
        .target(
            name: "ZeroMQ",
            dependencies: ["CZeroMQ"],
            path: "Shared/ZeroMQ",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// The Codable wire contracts of the bus: envelope, topics, payloads, and the bus codec.
        .target(name: "Messages", path: "Shared/Messages", exclude: ["README.md"], swiftSettings: strictSettings),
        /// The SQL layer: SQLite (embedded default) or PostgreSQL behind one SQLKit code path, with migrations.
        .target(
            name: "Storage",
            dependencies: ["SQLite", sqlKit, sqliteKit, postgresKit, logging],
            path: "Shared/Storage",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// The reliable bus: transactional outbox, relay, heartbeats, replay, exactly-once consumers.
        .target(
            name: "EventBus",
            dependencies: [
                "Storage", "ZeroMQ", "Messages", "ServiceKit", logging, prometheus, serviceLifecycle, sqlKit,
            ],
            path: "Shared/EventBus",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// Configuration, structured logging, health endpoint and service-group assembly.
        .target(
            name: "ServiceKit",
            dependencies: [
                hummingbird, logging, serviceLifecycle, configuration, prometheus,
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Shared/ServiceKit",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// Waiting in tests with a deadline (`within`, `eventually`); the standard library only.
        .target(
            name: "TestDeadlines",
            path: "Shared/TestDeadlines",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// Helpers for tests: locating built products, running child processes, free ports, HTTP probes.
        .target(
            name: "TestSupport",
            dependencies: ["ServiceKit", "Storage", logging, sqlKit],
            path: "Shared/TestSupport",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),

        // MARK: Services
    ]
        + service("Accounts", executable: "huddle-accounts", dependencies: ["EventBus", prometheus])
        + service("Signals", executable: "huddle-signals", dependencies: ["EventBus", prometheus])
        + service("Coaching", executable: "huddle-coaching", dependencies: ["EventBus", prometheus])
        + service("Reporting", executable: "huddle-reporting", dependencies: ["EventBus", prometheus])
        + service("Bus", executable: "huddle-bus", dependencies: ["ZeroMQ", prometheus])
        + [
            /// The `huddle` command-line tool's logic: `huddle up` and friends.
            .target(
                name: "HuddleCLI",
                dependencies: [argumentParser, logging, "ServiceKit"],
                path: "Services/CLI/App",
                swiftSettings: strictSettings
            ),
            .executableTarget(
                name: "huddle",
                dependencies: ["HuddleCLI"],
                path: "Services/CLI/Main",
                swiftSettings: strictSettings
            ),

            // MARK: Benchmarks

            /// `scripts/bench zmq`: the Swift side of the ZeroMQ and envelope benchmarks.
            .executableTarget(
                name: "huddle-bench",
                dependencies: ["ZeroMQ", "Messages"],
                path: "Benchmarks/HuddleBench",
                swiftSettings: strictSettings
            ),

            /// `huddle-bus-probe`: publisher and consumer processes for the bus tests and `scripts/bench bus`.
            .executableTarget(
                name: "huddle-bus-probe",
                dependencies: [
                    "EventBus", "Storage", "Messages", argumentParser, logging, prometheus, serviceLifecycle, sqlKit,
                    .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                ],
                path: "Benchmarks/BusProbe",
                swiftSettings: strictSettings
            ),

            // MARK: Tests

            .testTarget(
                name: "ZeroMQTests",
                dependencies: ["ZeroMQ", "TestDeadlines"],
                swiftSettings: strictSettings
            ),
            .testTarget(
                name: "MessagesTests",
                dependencies: ["Messages"],
                resources: [.copy("Fixtures")],
                swiftSettings: strictSettings
            ),
            .testTarget(
                name: "ServiceKitTests",
                dependencies: [
                    "ServiceKit", hummingbird, logging, .product(name: "HummingbirdTesting", package: "hummingbird"),
                ],
                swiftSettings: strictSettings
            ),
            .testTarget(
                name: "InteropTests",
                dependencies: ["ZeroMQ", "TestDeadlines", "TestSupport"],
                resources: [.copy("Peers")],
                swiftSettings: strictSettings
            ),
            .testTarget(
                name: "BusTests",
                dependencies: ["TestDeadlines", "TestSupport", "Storage", "Messages", "ZeroMQ", logging, sqlKit],
                swiftSettings: strictSettings
            ),
            .testTarget(
                name: "EventBusTests",
                dependencies: [
                    "EventBus", "Messages", "Storage", "TestDeadlines", "TestSupport", "ZeroMQ", logging, prometheus,
                    sqlKit,
                ],
                swiftSettings: strictSettings
            ),
            .testTarget(
                name: "StorageTests",
                dependencies: ["SQLite", "Storage", "TestSupport", logging, sqlKit],
                swiftSettings: strictSettings
            ),
            .testTarget(
                name: "IntegrationTests",
                dependencies: ["TestDeadlines", "TestSupport", "ZeroMQ"],
                swiftSettings: strictSettings
            ),
        ],
    swiftLanguageModes: [.v6]
)

// MARK: - The binding alone, for the thread sanitizer

// `scripts/test`'s tsan step runs the binding's tests under the thread sanitizer. Built whole, the
// package took that step 8 of CI's 23 minutes, nearly all of it compiling libraries those tests
// never use. With HUDDLE_PACKAGE_SLICE=zeromq the manifest keeps just the binding, its tests and
// what they need, and no package dependency at all.
if Context.environment["HUDDLE_PACKAGE_SLICE"] == "zeromq" {
    let slice: Set = ["CZeroMQ", "ZeroMQ", "TestDeadlines", "ZeroMQTests"]
    package.targets = package.targets.filter { slice.contains($0.name) }
    package.products = package.products.filter { $0.name == "ZeroMQ" }
    package.dependencies = []
}
