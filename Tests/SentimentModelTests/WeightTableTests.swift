import Foundation
import Support
import TestSupport
import XCTest

@testable import SentimentModel

/// The weight table must behave, bit for bit, as the dense array it replaces.
final class WeightTableTests: XCTestCase {
    /// A row of distinct ascending columns; some values are ±0, as a row whose tokens cancel out has.
    func randomRow(featureCount: Int, using generator: inout SplitMix64) -> SparseVector {
        let columns = Set((0..<Int.random(in: 1...40, using: &generator)).map { _ in UInt32.random(in: 0..<UInt32(featureCount), using: &generator) })
        let sorted = columns.sorted()
        let values = sorted.map { _ in
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: return 0.0
            case 1: return -0.0
            default: return Double.random(in: -1...1, using: &generator)
            }
        }
        return SparseVector(columns: sorted, values: values)
    }

    func testAddsMultipliesAndDotsExactlyAsADenseArray() {
        for featureCount in [1, 37, 1000, 1 << 12] {
            var generator = SplitMix64(seed: UInt64(featureCount))
            var table = WeightTable(featureCount: featureCount)
            var dense = [Double](repeating: 0, count: featureCount)
            for step in 0..<3000 {
                let row = randomRow(featureCount: featureCount, using: &generator)
                let factor = [1e-300, 0.5, 0.999, 3][step % 4]
                let multiplier = step % 7 == 0 ? -0.0 : Double.random(in: -2...2, using: &generator)
                row.withRow { row in
                    var product = 0.0
                    for index in 0..<row.count { product += dense[Int(row.columns[index])] * row.values[index] }
                    XCTAssertEqual(table.dot(row).bitPattern, product.bitPattern, "feature count \(featureCount), step \(step)")
                    table.add(row, times: multiplier)
                    for index in 0..<row.count { dense[Int(row.columns[index])] += row.values[index] * multiplier }
                }
                if step % 100 == 99 {
                    table.multiply(by: factor)
                    for index in dense.indices { dense[index] *= factor }
                }
            }
            XCTAssertEqual(table.dense().map(\.bitPattern), dense.map(\.bitPattern), "feature count \(featureCount)")
            XCTAssertLessThanOrEqual(2 * table.count, table.capacity, "at most half full")
            XCTAssertEqual(table.capacity & (table.capacity - 1), 0, "a power of two")
        }
    }

    func testKeepsNegativeZeroFromADenseArrayAndLeavesPositiveZeroOut() {
        let table = WeightTable(dense: [0, -0.0, 2.5, 0])
        XCTAssertEqual(table.count, 2)
        XCTAssertEqual(table.nonzeroCount, 1)
        XCTAssertEqual(table.dense().map(\.bitPattern), [0, (-0.0).bitPattern, 2.5.bitPattern, 0])
    }

    func testVisitsColumnsInAscendingOrderWhateverTheInsertionOrder() {
        var generator = SplitMix64(seed: 7)
        var table = WeightTable(featureCount: 1 << 21)
        var expected: [Int: Double] = [:]
        for _ in 0..<500 {
            let row = randomRow(featureCount: 1 << 21, using: &generator)
            row.withRow { table.add($0, times: 1) }
            for (column, value) in zip(row.columns, row.values) where value != 0 || expected[Int(column)] != nil {
                expected[Int(column), default: 0] += value
            }
        }
        var visited: [(Int, Double)] = []
        table.forEachInColumnOrder { visited.append(($0, $1)) }
        XCTAssertEqual(visited.map(\.0), expected.keys.sorted())
        XCTAssertEqual(visited.map(\.1.bitPattern), expected.keys.sorted().map { expected[$0]!.bitPattern })
    }

    func testTablesWithTheSameWeightsAreEqualWhateverTheirLayout() {
        var grown = WeightTable(featureCount: 1 << 10)
        for column in stride(from: 1000, to: 0, by: -7) {
            SparseVector(columns: [UInt32(column)], values: [Double(column)]).withRow { grown.add($0, times: 1) }
        }
        var dense = [Double](repeating: 0, count: 1 << 10)
        for column in stride(from: 1000, to: 0, by: -7) { dense[column] = Double(column) }
        let direct = WeightTable(dense: dense)
        XCTAssertNotEqual(grown.capacity, WeightTable(featureCount: 1 << 10).capacity, "the first table grew")
        XCTAssertEqual(grown, direct)
        var changed = direct
        SparseVector(columns: [3], values: [1]).withRow { changed.add($0, times: 1) }
        XCTAssertNotEqual(changed, direct)
    }

    func testACopyKeepsItsWeightsWhileTheOriginalLearnsInSmallAndHugePageTables() {
        // 100,000 columns take 4 MB of slots, the size of the book model's table, which is
        // mapped as huge-page memory; 100 columns come from the heap.
        for expectedCount in [100, 100_000] {
            let original = WeightTable(featureCount: 1 << 21, expectedCount: expectedCount) { insert in
                for column in 0..<expectedCount { insert(column * 20, Double(column + 1)) }
            }
            var learner = original
            SparseVector(columns: [20, 40, 7], values: [1, 1, 1]).withRow { learner.add($0, times: 0.5) }
            var scaled = original
            scaled.multiply(by: 2)
            XCTAssertEqual(original.weight(ofColumn: 20), 2, "\(expectedCount) columns")
            XCTAssertEqual(original.weight(ofColumn: 7), 0)
            XCTAssertEqual(learner.weight(ofColumn: 20), 2.5)
            XCTAssertEqual(learner.weight(ofColumn: 7), 0.5)
            XCTAssertEqual(scaled.weight(ofColumn: 40), 6)
            XCTAssertEqual(original.count, expectedCount)
            XCTAssertEqual(learner.count, expectedCount + 1)
        }
    }

    func testTheBundledModelTakesAtMostAThirdOfDenseArraysAndSavesToTheSameBytes() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../model/classifier.mcm").path
        let bytes = try AtomicFile.read(path)
        let classifier = try ModelFile.decode(bytes, path: path)
        XCTAssertEqual(ModelFile.encode(classifier), bytes)
        // Dense arrays: a double per column, and a float per column for the feature scales.
        let dense = classifier.regression.featureCount * (classifier.vectorizer.variant == .ngram ? 12 : 8)
        XCTAssertLessThan(classifier.regression.weightMemoryBytes, dense / 3)
    }
}
