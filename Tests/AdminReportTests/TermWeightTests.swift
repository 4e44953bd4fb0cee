import SentimentModel
import XCTest

/// The slots and weights the admin page names the model's words by: they must be the model's
/// own, or the page would show words the model does not weigh so.
final class TermWeightTests: XCTestCase {
    func testTermWeightsOverTheNormAddUpToTheBookModelsDecision() throws {
        let model = AdminReportTestCase.bookModel()
        let text = "superb dreadful moving"
        var slots: [TermSlot] = []
        var names: [String] = []
        model.forEachTerm(in: text) { slot, name in
            slots.append(slot)
            names.append(name())
        }
        XCTAssertEqual(names, ["superb", "dreadful", "moving"])
        XCTAssertEqual(Set(slots.map(\.column)).count, 3, "no collision, so each term is its column's only count")

        let decision = slots.reduce(model.regression.intercept) { $0 + model.termWeight(of: $1) / Double(slots.count).squareRoot() }

        XCTAssertEqual(decision, model.decision(text), accuracy: 1e-12)
    }

    func testTheNGramModelsTermsAreNamedAsItsExplanationsNameThem() throws {
        let model = AdminReportTestCase.ngramModel()
        let text = "not a wonderful film, but never dreadful"
        var named = Set<String>()
        model.forEachTerm(in: text) { slot, name in
            if model.termWeight(of: slot) != 0 { named.insert(name()) }
        }

        let explained = Set(model.explain(text).contributions.filter { $0.contribution != 0 }.map(\.token))

        XCTAssertFalse(named.isEmpty)
        XCTAssertEqual(named, explained)
        XCTAssertTrue(named.contains("wonderful"), "\(named)")
    }
}
