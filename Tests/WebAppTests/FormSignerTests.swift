import Crypto
import Foundation
import SentimentModel
import Support
import TestSupport
import XCTest

@testable import WebApp

final class FormSignerTests: XCTestCase {
    let signer = FormSigner(key: Array(repeating: 7, count: 32))
    var folder = ""

    override func setUpWithError() throws {
        folder = try ScratchFolder("webapp-key").path
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    func testSignatureIsTheHMACSHA256OfTheLengthPrefixedMessageInLowercaseHex() {
        XCTAssertEqual(
            FormSigner.messageHeader(reviewLength: "héllo".utf8.count, prediction: .positive),
            Array("movieclassifier feedback v1\0".utf8) + [1] + [0, 0, 0, 0, 0, 0, 0, 6]
        )
        // computed independently: printf 'movieclassifier feedback v1\0\1\0\0\0\0\0\0\0\6héllo' |
        //     openssl dgst -sha256 -mac HMAC -macopt hexkey:0707…07 (32 bytes)
        XCTAssertEqual(signer.signature(review: "héllo", prediction: .positive), "89e55b97023badef21d9f8ba6692f5828950d008dc2c5bfc4527c1c3fb0e2701")
    }

    func testCodesAreTheLibrarysHMACSHA256ForKeysOfAnyLengthAndReviewsOfAnyLength() {
        var generator = SplitMix64(seed: 3)
        for keyLength in [1, 32, 63, 64, 65, 200] {
            let key = (0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let signer = FormSigner(key: key)
            for reviewLength in [0, 1, 19, 20, 55, 56, 64, 1000] {
                let review = String((0..<reviewLength).map { _ in "aé😀 b".randomElement(using: &generator)! })
                for prediction in [Sentiment.negative, .positive] {
                    let message = FormSigner.messageHeader(reviewLength: review.utf8.count, prediction: prediction) + Array(review.utf8)
                    let expected = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
                    XCTAssertEqual(
                        signer.signature(review: review, prediction: prediction), Data(expected).map { String(format: "%02x", $0) }.joined(),
                        "key of \(keyLength) bytes, review of \(reviewLength) characters")
                }
            }
            let address = "2001:db8::\(keyLength)"
            let id = HMAC<SHA256>.authenticationCode(for: Array("movieclassifier client v1\0\(address)".utf8), using: SymmetricKey(data: key))
            XCTAssertEqual(signer.clientID(address: address), Data(id).prefix(16).map { String(format: "%02x", $0) }.joined())
        }
    }

    func testSignatureDependsOnTheReviewThePredictionAndTheKey() {
        let signature = signer.signature(review: "same text", prediction: .positive)
        XCTAssertTrue(signer.isValid(signature, review: "same text", prediction: .positive))
        XCTAssertTrue(signer.isValid(signature.uppercased(), review: "same text", prediction: .positive))
        XCTAssertFalse(signer.isValid(signature, review: "same text", prediction: .negative))
        XCTAssertFalse(signer.isValid(signature, review: "same text ", prediction: .positive))
        XCTAssertFalse(signer.isValid(signature, review: "Same text", prediction: .positive))
        XCTAssertFalse(FormSigner(key: Array(repeating: 8, count: 32)).isValid(signature, review: "same text", prediction: .positive))
        let flipped = String(signature.dropLast()) + (signature.hasSuffix("0") ? "1" : "0")
        XCTAssertFalse(signer.isValid(flipped, review: "same text", prediction: .positive))
        XCTAssertFalse(signer.isValid(signature + "00", review: "same text", prediction: .positive))
        XCTAssertFalse(signer.isValid("", review: "same text", prediction: .positive))
    }

    func testKeyFileIsCreatedWith32BytesAndMode0600AndThenReused() throws {
        let path = folder + "/feedback.key"
        let first = try FormSigner.loadOrCreateKey(at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual((attributes[.size] as? NSNumber)?.intValue, 32)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["feedback.key"], "no temporary file left")
        let key = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let second = try FormSigner.loadOrCreateKey(at: path)
        let expected = FormSigner(key: key).signature(review: "x", prediction: .negative)
        XCTAssertEqual(first.signature(review: "x", prediction: .negative), expected)
        XCTAssertEqual(second.signature(review: "x", prediction: .negative), expected)
        XCTAssertNotEqual(key, [UInt8](repeating: 0, count: 32))
    }

    func testKeyFileAnotherWorkerCreatedIsUsed() throws {
        let path = folder + "/feedback.key"
        let theirs = (0..<32).map { UInt8($0 * 7 % 256) }
        try Data(theirs).write(to: URL(fileURLWithPath: path))
        let signer = try FormSigner.loadOrCreateKey(at: path)
        XCTAssertEqual(signer.signature(review: "x", prediction: .positive), FormSigner(key: theirs).signature(review: "x", prediction: .positive))
        XCTAssertEqual(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), theirs, "not replaced")
    }

    func testKeyLinkedByAnotherWorkerBetweenOurCheckAndOursIsKept() throws {
        let path = folder + "/feedback.key"
        let theirs = [UInt8](repeating: 9, count: 32)
        try Data(theirs).write(to: URL(fileURLWithPath: path))
        try FormSigner.createKey(at: path)
        XCTAssertEqual(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), theirs)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["feedback.key"], "no temporary file left")
    }

    func testWorkersCreatingTheKeyAtOnceAllUseTheSameKey() throws {
        let path = folder + "/feedback.key"
        let signatures = Signatures()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            signatures.append((try? FormSigner.loadOrCreateKey(at: path))?.signature(review: "x", prediction: .positive) ?? "failed")
        }
        let key = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(signatures.all, Array(repeating: FormSigner(key: key).signature(review: "x", prediction: .positive), count: 16))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["feedback.key"])
    }

    func testKeyFileOfTheWrongSizeIsAnErrorNamingTheFile() throws {
        let path = folder + "/feedback.key"
        for size in [0, 3, 31, 33, 64] {
            try Data(repeating: 1, count: size).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try FormSigner.loadOrCreateKey(at: path)) { error in
                XCTAssertEqual(error as? FormSigner.KeyFileError, .wrongSize(path: path, size: size))
                XCTAssertTrue("\(error)".hasPrefix("\(path): a form-signing key is 32 bytes, this file has \(size); delete it"), "\(error)")
            }
        }
    }

    func testKeyInAMissingFolderIsAnErrorNamingTheFile() {
        let path = folder + "/missing/feedback.key"
        XCTAssertThrowsError(try FormSigner.loadOrCreateKey(at: path)) { error in
            guard case .uncreatable(let named, let reason) = error as? FormSigner.KeyFileError else { return XCTFail("\(error)") }
            XCTAssertEqual(named, path)
            XCTAssertTrue(reason.hasSuffix(": No such file or directory"), reason)
        }
    }
}
