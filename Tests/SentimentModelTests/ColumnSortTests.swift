import XCTest

@testable import SentimentModel

final class ColumnSortTests: XCTestCase {
    func testSortsKeysByColumnForEverySizeAndSpread() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 31, 32, 33, 100, 257, 1000] {
            for columnBits in [4, 21, 31] {
                let keys = (0..<count).map { _ in
                    UInt64.random(in: 0..<(1 << UInt64(columnBits)), using: &generator) << 1 | UInt64.random(in: 0...1, using: &generator)
                }
                var input = keys
                var scratch = [UInt64](repeating: 0, count: count)
                let sorted = input.withUnsafeMutableBufferPointer { input in
                    scratch.withUnsafeMutableBufferPointer { Array(ColumnSort.sort(input, scratch: $0, columnBits: columnBits)) }
                }
                XCTAssertEqual(sorted.map { $0 >> 1 }, keys.map { $0 >> 1 }.sorted(), "count \(count), \(columnBits) bits")
                XCTAssertEqual(sorted.sorted(), keys.sorted(), "the same keys, signs and all")
            }
        }
    }

    func testSortsItemsStablyByKeyForEverySizeAndSpread() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 31, 32, 33, 100, 257, 1000] {
            for keyBits in [3, 23, 55] {
                // Few distinct keys at 3 bits: long runs whose order must survive.
                var items = (0..<count).map { (key: UInt64.random(in: 0..<(1 << UInt64(keyBits)), using: &generator), index: $0) }
                var scratch = items
                let expected = items.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element.index)
                items.withUnsafeMutableBufferPointer { items in
                    scratch.withUnsafeMutableBufferPointer { ColumnSort.sortStably(items, scratch: $0, keyBits: keyBits, by: \.key) }
                }
                XCTAssertEqual(items.map(\.index), expected, "count \(count), \(keyBits) bits")
            }
        }
    }
}
