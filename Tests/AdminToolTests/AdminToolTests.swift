import Foundation
import SentimentModel
import TestSupport
import XCTest

/// The `movieclassifier` executable, run as an admin runs it.
final class AdminToolTests: XCTestCase {
    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    var folder = ""

    override func setUpWithError() throws {
        folder = try ScratchFolder("admin-tool-tests").path
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    /// The built executable sits in the products folder, beside the test bundle.
    var executable: URL {
        URL(fileURLWithPath: BuiltProducts.executable("movieclassifier", besides: AdminToolTests.self))
    }

    func run(_ arguments: [String], input: String? = nil) throws -> Run {
        let result = try SpawnedProgram(executable.path, arguments, input: input, in: folder).wait()
        return Run(status: result.status, output: result.output, errors: result.errors)
    }

    /// A small labelled CSV: obvious words, quoted fields with commas, quotes and line breaks.
    func writeCorpus(rows: Int = 120) throws -> String {
        var csv = "review,sentiment\n"
        for index in 0..<rows {
            let positive = index % 2 == 0
            let text = positive ? "A \"wonderful\", superb film,\nmoving \(index)" : "Awful, dreadful and tedious \(index)"
            csv += "\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\",\(positive ? 1 : 0)\n"
        }
        let path = folder + "/reviews.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testEverySubcommandHasHelp() throws {
        for subcommand in [
            "train", "classify", "import-sklearn", "update", "rollback", "feedback list", "feedback show", "feedback reject", "feedback accept",
            "feedback export", "report",
        ] {
            let result = try run(subcommand.split(separator: " ").map(String.init) + ["--help"])
            XCTAssertEqual(result.status, 0, subcommand)
            XCTAssertTrue(result.output.contains("USAGE: movieclassifier \(subcommand)"), result.output)
        }
        XCTAssertTrue(try run(["--help"]).output.contains("SUBCOMMANDS"))
    }

    func testTrainingTheNGramVariantScoresTheTestRowsThenTrainsAgainOnEveryRow() throws {
        let model = folder + "/model.mcm"
        let result = try run(["train", "--data", try writeCorpus(), "--out", model, "--test-size", "20"])
        XCTAssertEqual(result.status, 0, result.errors)
        XCTAssertTrue(result.output.contains("trained on 100 reviews, 20 epochs"), result.output)
        XCTAssertTrue(result.output.contains("test accuracy: 1.0000 on the last 20 reviews"), result.output)
        XCTAssertTrue(result.output.contains("then trained again on all 120 reviews"), result.output)
        let classifier = try ModelFile.load(from: model)
        XCTAssertEqual(classifier.vectorizer.variant, .ngram)
        XCTAssertEqual(classifier.training?.rows, 120)
        let again = folder + "/again.mcm"
        XCTAssertEqual(try run(["train", "--data", try writeCorpus(), "--out", again, "--test-size", "20"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: again)), try Data(contentsOf: URL(fileURLWithPath: model)), "the same bytes")
    }

    func testTrainReportsAccuracyAndWritesALoadableModel() throws {
        let model = folder + "/model.mcm"
        let result = try run(["train", "--variant", "book", "--data", try writeCorpus(), "--out", model, "--batch-size", "25", "--test-size", "20"])
        XCTAssertEqual(result.status, 0, result.errors)
        XCTAssertTrue(result.output.contains("trained on 100 reviews in 4 minibatches"), result.output)
        XCTAssertTrue(result.output.contains("test accuracy: 1.0000 on the last 20 reviews"), result.output)
        XCTAssertEqual(try ModelFile.load(from: model).regression.samplesSeen, 120, "the test rows are learned too, as in the book")
    }

    func testHoldOutTestKeepsTheTestRowsOutOfTheModel() throws {
        let model = folder + "/model.mcm"
        let result = try run(["train", "--data", try writeCorpus(), "--out", model, "--test-size", "20", "--hold-out-test"])
        XCTAssertEqual(result.status, 0, result.errors)
        XCTAssertEqual(try ModelFile.load(from: model).training?.rows, 100)
        let book = try run(["train", "--variant", "book", "--data", try writeCorpus(), "--out", model, "--test-size", "20", "--hold-out-test"])
        XCTAssertEqual(book.status, 0, book.errors)
        XCTAssertEqual(try ModelFile.load(from: model).regression.samplesSeen, 100)
    }

    func testTrainReadsStandardInput() throws {
        let model = folder + "/model.mcm"
        let csv = try String(contentsOfFile: try writeCorpus(rows: 10), encoding: .utf8)
        let result = try run(["train", "--data", "-", "--out", model, "--test-size", "0"], input: csv)
        XCTAssertEqual(result.status, 0, result.errors)
        XCTAssertEqual(try ModelFile.load(from: model).training?.rows, 10)
    }

    func testMalformedRowStopsTrainingWithItsLineUnlessSkipped() throws {
        let path = folder + "/bad.csv"
        try "review,sentiment\ngood film,1\nbad film,maybe\nfine film,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let model = folder + "/model.mcm"
        let failed = try run(["train", "--data", path, "--out", model, "--test-size", "0"])
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertTrue(failed.errors.contains("\(path):3: the sentiment must be 0 or 1, found `maybe`"), failed.errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model))

        let skipped = try run(["train", "--data", path, "--out", model, "--test-size", "0", "--skip-malformed"])
        XCTAssertEqual(skipped.status, 0, skipped.errors)
        XCTAssertTrue(skipped.output.contains("skipped 1 malformed rows"), skipped.output)
        XCTAssertEqual(try ModelFile.load(from: model).training?.rows, 2)
    }

    func testClassifyPrintsALineForEachTextAndJSONForStandardInput() throws {
        let model = folder + "/model.mcm"
        XCTAssertEqual(try run(["train", "--data", try writeCorpus(), "--out", model, "--test-size", "0"]).status, 0)
        let lines = try run(["classify", "--model", model, "a wonderful superb film", "dreadful and tedious"])
        XCTAssertEqual(lines.status, 0, lines.errors)
        let printed = lines.output.split(separator: "\n")
        XCTAssertEqual(printed.count, 2)
        XCTAssertTrue(printed[0].hasPrefix("positive "), lines.output)
        XCTAssertTrue(printed[1].hasPrefix("negative "), lines.output)

        let json = try run(["classify", "--model", model], input: "a wonderful superb film\ndreadful and tedious\n")
        XCTAssertEqual(json.status, 0, json.errors)
        let printedJSON = json.output.split(separator: "\n")
        XCTAssertEqual(printedJSON.count, 2)
        let classifier = try ModelFile.load(from: model)
        for (line, text) in zip(printedJSON, ["a wonderful superb film", "dreadful and tedious"]) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            XCTAssertEqual(object?.keys.sorted(), ["label", "p_positive", "probability"])
            // Exact digits: Swift prints the shortest text that reads back as the same Double.
            let prediction = classifier.classify(text)
            let label = classifier.name(of: prediction.sentiment)
            XCTAssertEqual(
                String(line),
                "{\"label\": \"\(label)\", \"probability\": \(prediction.probability), \"p_positive\": \(prediction.probabilityPositive)}")
        }
    }

    func testClassifyExplainsWhichWordsDecidedAndTheyAddUpToTheDecision() throws {
        let model = folder + "/model.mcm"
        XCTAssertEqual(try run(["train", "--data", try writeCorpus(), "--out", model, "--test-size", "0"]).status, 0)
        let readable = try run(["classify", "--model", model, "--explain", "a wonderful superb film, dreadful ending"])
        XCTAssertEqual(readable.status, 0, readable.errors)
        let lines = readable.output.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasSuffix(": a wonderful superb film, dreadful ending"), readable.output)
        XCTAssertTrue(lines.last?.hasSuffix(" (bias)") ?? false, readable.output)
        // Each line: a signed contribution, then a word or two or three adjacent ones.
        let tokens = ["a", "wonderful", "superb", "film", "dreadful", "ending"]
        let terms = Set((1...3).flatMap { order in (0...(tokens.count - order)).map { tokens[$0..<($0 + order)].joined(separator: " ") } })
        let features = lines.dropFirst().dropLast().filter { !$0.hasPrefix("  (") }.map { String($0.split(separator: " ", maxSplits: 1)[1]) }
        XCTAssertFalse(features.isEmpty, readable.output)
        XCTAssertTrue(features.allSatisfy(terms.contains), readable.output)
        XCTAssertTrue(features.contains("wonderful") || features.contains("superb"), readable.output)

        let json = try run(["classify", "--model", model, "--explain"], input: "a wonderful superb film, dreadful ending\n")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any], json.output)
        let contributions = try XCTUnwrap(object["contributions"] as? [[String: Any]])
        let sum = contributions.compactMap { $0["contribution"] as? Double }.reduce(try XCTUnwrap(object["bias"] as? Double), +)
        let probability = try XCTUnwrap(object["p_positive"] as? Double)
        XCTAssertEqual(1 / (1 + exp(-sum)), probability, accuracy: 1e-12, "the contributions and the bias are the decision")
        let magnitudes = contributions.compactMap { ($0["contribution"] as? Double).map(abs) }
        XCTAssertEqual(magnitudes, magnitudes.sorted(by: >), "the strongest first")
    }

    func testFailuresExitNonZeroWithAMessageNamingTheFile() throws {
        let missingModel = try run(["classify", "--model", folder + "/none.mcm", "text"])
        XCTAssertNotEqual(missingModel.status, 0)
        XCTAssertTrue(missingModel.errors.contains("\(folder)/none.mcm: cannot open it"), missingModel.errors)

        let missingData = try run(["train", "--data", folder + "/none.csv", "--out", folder + "/m.mcm"])
        XCTAssertNotEqual(missingData.status, 0)
        XCTAssertTrue(missingData.errors.contains("\(folder)/none.csv: cannot open"), missingData.errors)

        let badOption = try run(["train", "--variant", "book", "--data", "x.csv", "--out", "m.mcm", "--batch-size", "0"])
        XCTAssertNotEqual(badOption.status, 0)
        XCTAssertTrue(badOption.errors.contains("--batch-size must be at least 1"), badOption.errors)
        let bookOption = try run(["train", "--data", "x.csv", "--out", "m.mcm", "--no-shuffle"])
        XCTAssertNotEqual(bookOption.status, 0)
        XCTAssertTrue(bookOption.errors.contains("apply to --variant book only"), bookOption.errors)

        let pickle = folder + "/classifier.pkl"
        try Data([0x80, 0x04, 0x95, 0x00]).write(to: URL(fileURLWithPath: pickle))
        let refused = try run(["classify", "--model", pickle, "text"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.errors.contains("pickle"), refused.errors)
    }

    func testImportSklearnWritesAModelWithScikitLearnsWeights() throws {
        let featureCount = 1 << 8
        var coef = [Double](repeating: 0, count: featureCount)
        coef[3] = 1.5
        coef[200] = -2
        try Data(npy(shape: "(1, \(featureCount))", values: coef)).write(to: URL(fileURLWithPath: folder + "/coef.npy"))
        try Data(npy(shape: "(1,)", values: [0.25])).write(to: URL(fileURLWithPath: folder + "/intercept.npy"))
        let model = folder + "/imported.mcm"
        let result = try run(["import-sklearn", "--coef", folder + "/coef.npy", "--intercept", folder + "/intercept.npy", "--out", model])
        XCTAssertEqual(result.status, 0, result.errors)
        let classifier = try ModelFile.load(from: model)
        XCTAssertEqual(classifier.regression.weights, coef)
        XCTAssertEqual(classifier.regression.intercept, 0.25)
        XCTAssertEqual(classifier.regression.samplesSeen, 50_000)
    }

    func npy(shape: String, values: [Double]) -> [UInt8] {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }"
        while (11 + header.utf8.count) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        return bytes
    }
}
