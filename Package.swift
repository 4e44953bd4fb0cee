// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "movieclassifier",
    products: [
        .executable(name: "movieclassifier", targets: ["movieclassifier"]),
        .library(name: "SentimentModel", targets: ["SentimentModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "SentimentModel", dependencies: ["CZlib"]),
        .target(name: "ReviewCorpus", dependencies: ["CZlib"]),
        .target(name: "ModelTraining", dependencies: ["SentimentModel", "ReviewCorpus"]),
        .executableTarget(
            name: "movieclassifier",
            dependencies: [
                "SentimentModel",
                "ReviewCorpus",
                "ModelTraining",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "sentiment-benchmark", dependencies: ["SentimentModel", "ReviewCorpus", "ModelTraining"]),
        .testTarget(name: "SentimentModelTests", dependencies: ["SentimentModel", "ReviewCorpus"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ReviewCorpusTests", dependencies: ["ReviewCorpus", "ModelTraining", "SentimentModel"]),
        .testTarget(name: "AdminToolTests", dependencies: ["movieclassifier", "SentimentModel"]),
    ],
    swiftLanguageModes: [.v6]
)
