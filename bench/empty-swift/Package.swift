// swift-tools-version:6.0
import PackageDescription

/// The yardstick of scripts/benchmark-cgi.sh: a Swift program that imports Foundation and
/// answers one CGI request with a constant, built exactly as movieclassifier-fcgi is, so that
/// the difference in start-up is what movieclassifier-fcgi itself adds.
let package = Package(
    name: "empty-swift",
    targets: [.executableTarget(name: "empty-swift")],
    swiftLanguageModes: [.v6]
)
