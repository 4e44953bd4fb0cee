import Foundation
import Support
import XCTest

@testable import SentimentModel

/// The n-gram variant's weights must behave, bit for bit, as dense arrays of binary32 feature
/// scales and weights would.
final class ScaledColumnTableTests: XCTestCase {
    /// A table of `columns` (ascending) with random scales and weights, and the dense arrays.
    func randomTable(
        featureCount: Int, columns: [Int], using generator: inout SplitMix64
    ) -> (table: ScaledColumnTable, scales: [Float], weights: [Double]) {
        var scales = [Float](repeating: 0, count: featureCount)
        var weights = [Double](repeating: 0, count: featureCount)
        for column in columns {
            scales[column] = Float.random(in: -3...3, using: &generator)
            weights[column] = Double(Float(Double.random(in: -1...1, using: &generator)))
        }
        let table = ScaledColumnTable(featureCount: featureCount, expectedCount: columns.count) { insert in
            for column in columns { insert(column, scales[column], weights[column]) }
        }
        return (table, scales, weights)
    }

    func randomColumns(_ count: Int, below featureCount: Int, using generator: inout SplitMix64) -> [Int] {
        Set((0..<count).map { _ in Int.random(in: 0..<featureCount, using: &generator) }).sorted()
    }

    /// `scale` gives, bit for bit, the sums of one lookup per column in ascending order, the
    /// absent columns skipped, and the scaled row of the present ones.
    func testScalingSumsLookupsInColumnOrder() {
        var generator = SplitMix64(seed: 5)
        // 2^16 + 5: the last block is partial; column 0 and the last column are held.
        let featureCount = 1 << 16 + 5
        let stored = Array(Set(randomColumns(20_000, below: featureCount, using: &generator) + [0, featureCount - 1])).sorted()
        let (table, _, _) = randomTable(featureCount: featureCount, columns: stored, using: &generator)
        for _ in 0..<300 {
            let columns = randomColumns(Int.random(in: 0...2000, using: &generator), below: featureCount, using: &generator).map { UInt32($0) }
            let values = columns.map { _ in [log1p(1.0), log1p(2.0), Double.random(in: 0...3, using: &generator)].randomElement(using: &generator)! }
            var expected: [(UInt32, Double)] = []
            var product = 0.0
            var squares = 0.0
            for (column, value) in zip(columns, values) {
                guard let entry = table.entry(ofColumn: Int(column)) else { continue }
                let scaled = Double(entry.featureScale) * value
                product += entry.weight * scaled
                squares += scaled * scaled
                expected.append((column, scaled))
            }
            var scaledColumns = [UInt32](repeating: 0, count: columns.count)
            var scaledValues = [Double](repeating: 0, count: columns.count)
            let result = columns.withUnsafeBufferPointer { columns in
                values.withUnsafeBufferPointer { values in
                    scaledColumns.withUnsafeMutableBufferPointer { scaledColumns in
                        scaledValues.withUnsafeMutableBufferPointer { scaledValues in
                            table.scale(columns, values: values, into: (scaledColumns, scaledValues))
                        }
                    }
                }
            }
            let sums = columns.withUnsafeBufferPointer { columns in
                values.withUnsafeBufferPointer { values in table.scale(columns, values: values, into: nil) }
            }
            XCTAssertEqual(result.count, expected.count)
            XCTAssertEqual(result.product.bitPattern, product.bitPattern)
            XCTAssertEqual(result.squares.bitPattern, squares.bitPattern)
            XCTAssertEqual(sums.count, expected.count)
            XCTAssertEqual(sums.product.bitPattern, product.bitPattern, "the same sums without the row")
            XCTAssertEqual(sums.squares.bitPattern, squares.bitPattern)
            XCTAssertEqual(Array(scaledColumns.prefix(result.count)), expected.map(\.0))
            XCTAssertEqual(scaledValues.prefix(result.count).map(\.bitPattern), expected.map(\.1.bitPattern))
        }
    }

    /// The one pass over a review's sorted rank keys gives `scale`'s sums, bit for bit, for the
    /// distinct columns with their counts summed (the keys of one column in any order), the
    /// columns the table does not hold dropped on the way.
    func testTheSumsOfSortedRankKeysAreThoseOfTheirDistinctColumnsAndSummedCounts() {
        var generator = SplitMix64(seed: 9)
        let featureCount = 1 << 14 + 3
        let stored = randomColumns(5_000, below: featureCount, using: &generator)
        let (table, _, _) = randomTable(featureCount: featureCount, columns: stored, using: &generator)
        let termValue = { (count: Int) in log1p(Double(count)) }
        for _ in 0..<300 {
            // Few distinct columns, so that runs of one column are common; counts 1 or 2.
            let distinctColumns = randomColumns(Int.random(in: 0...300, using: &generator), below: featureCount, using: &generator)
            var keys: [UInt64] = []
            for column in distinctColumns {
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    keys.append(UInt64(column) << 1 | UInt64.random(in: 0...1, using: &generator))
                }
            }
            keys.shuffle(using: &generator)
            let columns = distinctColumns.map { UInt32($0) }
            let values = distinctColumns.map { column in
                termValue(keys.filter { $0 >> 1 == UInt64(column) }.reduce(0) { $0 + Int($1 & 1) + 1 })
            }
            let expected = columns.withUnsafeBufferPointer { columns in
                values.withUnsafeBufferPointer { values in table.scale(columns, values: values, into: nil) }
            }
            let sums = table.withLookup { lookup in
                let kept = keys.withUnsafeMutableBufferPointer { lookup.keepHeldAsRanks($0, shift: 1) }
                let sorted = keys[..<kept].sorted { $0 >> 1 < $1 >> 1 }
                return sorted.withUnsafeBufferPointer { lookup.sums(ofSortedRankKeys: $0, termValue: termValue) }
            }
            XCTAssertEqual(sums.product.bitPattern, expected.product.bitPattern)
            XCTAssertEqual(sums.squares.bitPattern, expected.squares.bitPattern)
        }
    }

    /// Keeping the held columns as ranks keeps exactly the keys of held columns, in their order,
    /// each with the index of its column among the held ones (so ranks sort as columns do) and
    /// its bits below the column as they were, whichever bits hold the column (a term key's from
    /// bit 1, an occurrence key's from bit 41); the ranks fit in `rankBits`.
    func testKeepingHeldColumnsAsRanksKeepsThemInOrderWithTheIndexOfTheirEntries() {
        var generator = SplitMix64(seed: 13)
        let featureCount = 1 << 23
        let stored = randomColumns(60_000, below: featureCount, using: &generator) + [featureCount - 1]
        let (table, _, _) = randomTable(featureCount: featureCount, columns: stored, using: &generator)
        let rankOf = Dictionary(uniqueKeysWithValues: stored.enumerated().map { ($0.element, $0.offset) })
        XCTAssertEqual(table.withLookup { $0.rankBits }, 16)
        for _ in 0..<200 {
            // Half the columns held, half not, in a random order; column 0 and the last sometimes.
            var columns = (0..<Int.random(in: 0...400, using: &generator)).map { _ in
                Bool.random(using: &generator) ? stored.randomElement(using: &generator)! : Int.random(in: 0..<featureCount, using: &generator)
            }
            if Bool.random(using: &generator) { columns += [0, featureCount - 1] }
            columns.shuffle(using: &generator)
            for shift: UInt64 in [1, TermOccurrences.positionBits] {
                let low = (0..<columns.count).map { _ in UInt64.random(in: 0..<(1 << shift), using: &generator) }
                var keys = zip(columns, low).map { UInt64($0) << shift | $1 }
                let kept = table.withLookup { lookup in keys.withUnsafeMutableBufferPointer { lookup.keepHeldAsRanks($0, shift: shift) } }
                let expected = zip(columns, low).compactMap { column, low in rankOf[column].map { UInt64($0) << shift | low } }
                XCTAssertEqual(Array(keys[..<kept]), expected)
            }
        }
    }

    func testLearnsAndMultipliesAsDenseBinary32ArraysAndKeepsItsColumns() {
        var generator = SplitMix64(seed: 11)
        let featureCount = 5000
        let stored = randomColumns(800, below: featureCount, using: &generator)
        var (table, scales, dense) = randomTable(featureCount: featureCount, columns: stored, using: &generator)
        for step in 0..<2000 {
            let columns = stored.shuffled(using: &generator).prefix(Int.random(in: 1...30, using: &generator)).sorted()
            let values = columns.map { _ in Double.random(in: -1...1, using: &generator) }
            let multiplier = Double.random(in: -2...2, using: &generator)
            SparseVector(columns: columns.map { UInt32($0) }, values: values).withRow { row in
                var product = 0.0
                for (column, value) in zip(columns, values) { product += dense[column] * value }
                XCTAssertEqual(table.dot(row).bitPattern, product.bitPattern, "step \(step)")
                table.add(row, times: multiplier)
            }
            for (column, value) in zip(columns, values) { dense[column] = Double(Float(dense[column] + value * multiplier)) }
            if step % 100 == 99 {
                let factor = [0.5, 0.999, 3][step / 100 % 3]
                table.multiply(by: factor)
                for column in stored { dense[column] = Double(Float(dense[column] * factor)) }
            }
        }
        XCTAssertEqual(table.dense().map(\.bitPattern), dense.map(\.bitPattern))
        XCTAssertEqual(table.count, stored.count)
        var visited: [Int] = []
        table.forEachEntryInColumnOrder { column, featureScale, weight in
            visited.append(column)
            XCTAssertEqual(featureScale, scales[column])
            XCTAssertEqual(weight.bitPattern, dense[column].bitPattern)
        }
        XCTAssertEqual(visited, stored)
    }

    func testAbsentColumnsHaveNoEntryAndReadZero() {
        let table = ScaledColumnTable(featureCount: 200, expectedCount: 3) { insert in
            insert(0, 1.5, 0.25)
            insert(64, -2, -0.5)
            insert(199, 0.5, 0)
        }
        XCTAssertEqual(table.count, 3)
        XCTAssertEqual(table.nonzeroCount, 2)
        XCTAssertEqual(table.entry(ofColumn: 64).map { [Double($0.featureScale), $0.weight] }, [-2, -0.5])
        for absent in [1, 63, 65, 198, -1, 200] { XCTAssertNil(table.entry(ofColumn: absent), "column \(absent)") }
        SparseVector(columns: [1, 64, 198], values: [7, 2, 7]).withRow { XCTAssertEqual(table.dot($0), -1) }
    }

    func testACopyKeepsItsWeightsWhileTheOriginalLearnsInSmallAndHugePageTables() {
        // 300,000 entries take 2.4 MB, mapped as huge-page memory; 100 come from the heap.
        for expectedCount in [100, 300_000] {
            let original = ScaledColumnTable(featureCount: 1 << 23, expectedCount: expectedCount) { insert in
                for column in 0..<expectedCount { insert(column * 20, 1, Double(column + 1)) }
            }
            var learner = original
            SparseVector(columns: [20, 40], values: [1, 1]).withRow { learner.add($0, times: 0.5) }
            var scaled = original
            scaled.multiply(by: 2)
            XCTAssertEqual(original.entry(ofColumn: 20)?.weight, 2, "\(expectedCount) columns")
            XCTAssertEqual(learner.entry(ofColumn: 20)?.weight, 2.5)
            XCTAssertEqual(scaled.entry(ofColumn: 40)?.weight, 6)
            XCTAssertEqual(original.entry(ofColumn: 40)?.weight, 3)
            XCTAssertNotEqual(learner, original)
            XCTAssertEqual(
                original,
                ScaledColumnTable(featureCount: 1 << 23, expectedCount: expectedCount + 5) { insert in
                    for column in 0..<expectedCount { insert(column * 20, 1, Double(column + 1)) }
                }, "equal whatever room was announced")
        }
    }
}
