// swift-tools-version:6.0
import PackageDescription

#if arch(x86_64)
/// POPCNT, which every x86-64 CPU since 2008 has (x86-64-v2): the n-gram model's lookups
/// count the bits of a 64-column block, one instruction with it and fifteen without.
let sentimentModelSettings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mpopcnt"])]
#else
let sentimentModelSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "movieclassifier",
    products: [
        .executable(name: "movieclassifier", targets: ["movieclassifier"]),
        .executable(name: "movieclassifier-fcgi", targets: ["movieclassifier-fcgi"]),
        .library(name: "SentimentModel", targets: ["SentimentModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibdeflate", providers: [.apt(["libdeflate-dev"])]),
        .target(name: "Support"),
        .target(name: "SentimentModel", dependencies: ["CLibdeflate", "Support"], swiftSettings: sentimentModelSettings),
        .target(name: "ReviewCorpus", dependencies: ["CZlib"]),
        .target(name: "ModelTraining", dependencies: ["SentimentModel", "ReviewCorpus", "Support"]),
        .systemLibrary(name: "CFastCGI", providers: [.apt(["libfcgi-dev"])]),
        // libpq, loaded at run time (dlopen) when a postgresql:// URL asks for it: see its header.
        .target(name: "CLibPQ", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "PostgreSQLClient", dependencies: ["CLibPQ"]),
        .target(name: "CWorkerSignals"),
        .target(name: "PoolSupervision"),
        .target(name: "Telemetry", dependencies: ["Support"]),
        .target(
            name: "FeedbackStore",
            dependencies: ["Support", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        .target(name: "PostgreSQLFeedbackStore", dependencies: ["FeedbackStore", "PostgreSQLClient"]),
        .target(name: "FeedbackDatabase", dependencies: ["FeedbackStore", "PostgreSQLFeedbackStore"]),
        .target(name: "LiveModel", dependencies: ["SentimentModel", "FeedbackStore", "Support"]),
        .target(name: "ModelUpdate", dependencies: ["SentimentModel", "FeedbackStore", "LiveModel", "Support"]),
        .target(name: "AdminReport", dependencies: ["SentimentModel", "FeedbackStore", "ModelUpdate", "LiveModel", "Support"]),
        .target(
            name: "WebApp",
            dependencies: [
                "SentimentModel",
                "Support",
                "Telemetry",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "LiveService", dependencies: ["LiveModel", "FeedbackStore", "SentimentModel", "WebApp"]),
        .executableTarget(
            name: "movieclassifier-fcgi",
            dependencies: [
                "AdminReport", "CFastCGI", "CWorkerSignals", "FeedbackDatabase", "PoolSupervision", "Telemetry", "WebApp", "LiveModel", "LiveService",
                "FeedbackStore",
                "SentimentModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "movieclassifier",
            dependencies: [
                "SentimentModel",
                "ReviewCorpus",
                "ModelTraining",
                "FeedbackStore",
                "LiveModel",
                "ModelUpdate",
                "AdminReport",
                "FeedbackDatabase",
                "PostgreSQLFeedbackStore",
                "Support",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "sentiment-benchmark", dependencies: ["SentimentModel", "ReviewCorpus", "ModelTraining", "LiveModel", "Support"]),
        .executableTarget(
            name: "web-benchmark", dependencies: ["WebApp", "LiveModel", "LiveService", "FeedbackStore", "SentimentModel", "Support"]),
        .target(name: "TestSupport", dependencies: ["Support"], path: "Tests/TestSupport"),
        .testTarget(
            name: "SentimentModelTests", dependencies: ["TestSupport", "SentimentModel", "ReviewCorpus", "Support"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ReviewCorpusTests", dependencies: ["TestSupport", "ReviewCorpus", "ModelTraining", "SentimentModel", "Support"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "AdminToolTests",
            dependencies: [
                "TestSupport", "movieclassifier", "SentimentModel", "ModelTraining", "Support", "FeedbackStore", "LiveModel",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(name: "FeedbackLogContract", dependencies: ["FeedbackStore"], path: "Tests/FeedbackLogContract"),
        .testTarget(name: "FeedbackStoreTests", dependencies: ["TestSupport", "FeedbackStore", "FeedbackLogContract"]),
        .testTarget(name: "PostgreSQLClientTests", dependencies: ["TestSupport", "PostgreSQLClient"]),
        .testTarget(
            name: "PostgreSQLFeedbackStoreTests",
            dependencies: [
                "TestSupport", "PostgreSQLFeedbackStore", "FeedbackStore", "PostgreSQLClient", "Support", "LiveModel", "SentimentModel",
                "ModelUpdate", "FeedbackLogContract",
            ]),
        .testTarget(
            name: "AdminReportTests",
            dependencies: [
                "TestSupport", "AdminReport", "FeedbackStore", "SentimentModel", "LiveModel", "ModelTraining",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "LiveModelTests",
            dependencies: ["TestSupport", "LiveModel", "FeedbackStore", "SentimentModel", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(name: "PoolSupervisionTests", dependencies: ["TestSupport", "PoolSupervision"]),
        .testTarget(name: "TelemetryTests", dependencies: ["TestSupport", "Telemetry"]),
        .testTarget(
            name: "WebAppTests",
            dependencies: ["TestSupport", "WebApp", "SentimentModel", "Support", "Telemetry", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TestSupport", "movieclassifier-fcgi", "FeedbackStore", "FeedbackDatabase", "WebApp", "SentimentModel",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["schemathesis.toml"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
