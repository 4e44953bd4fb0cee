import LiveModel
import SentimentModel

/// The experiment behind `FeedbackVerdict.maximumStep`: how far feedback moves a verdict for
/// each bound on a row's step, on the bundled model.
///
/// - One client's whole budget (20 rows, all counted, as if no agreement were needed) of
///   "Incorrect" on variants of a confident review: the bound must keep the verdict.
/// - 40 distinct clients, each correcting a borderline review once: the bound must still let
///   them move it, by at least 10 points.
struct InfluenceExperiment {
    let modelPath: String
    static let confident = "Brilliant, beautiful and moving: one of the best films I have ever seen, a true masterpiece."
    static let borderline = "Some good moments, some dull ones; an average film overall."
    static let budget = 20
    static let clients = 40

    func run() throws {
        let model = try ModelFile.load(from: modelPath)
        let confidentBefore = model.classify(Self.confident).probabilityPositive
        let borderlineBefore = model.classify(Self.borderline).probabilityPositive
        let borderlineTruth: Sentiment = borderlineBefore > 0.5 ? .negative : .positive
        print("influence of feedback on \(modelPath), for each bound on one row's step (|eta * dloss|, in log-odds):")
        print("  confident review, P(positive) \(format(confidentBefore, 4)): \(Self.confident)")
        print("  borderline review, P(positive) \(format(borderlineBefore, 4)): \(Self.borderline)")
        print("")
        print(
            "bound".padding(to: 10) + "worst case".padding(to: 12) + "one client, \(Self.budget) rows against the confident one".padding(to: 44)
                + "\(Self.clients) clients correcting the borderline one")
        for bound in [0.02, 0.05, 0.1, 0.2, 0.5, Double.infinity] {
            var attacked = model
            for variant in 0..<Self.budget {
                attacked.learn(Self.confident + " #\(variant)", sentiment: .negative, maximumStep: bound)
            }
            let after = attacked.classify(Self.confident).probabilityPositive
            var corrected = model
            for _ in 0..<Self.clients { corrected.learn(Self.borderline, sentiment: borderlineTruth, maximumStep: bound) }
            let moved = corrected.classify(Self.borderline).probabilityPositive
            let name = bound.isInfinite ? "none" : format(bound, 2)
            let mark = bound == FeedbackVerdict.maximumStep ? "  <- FeedbackVerdict.maximumStep" : ""
            // The most any budget of rows can move any decision: 1.01 * bound each.
            let worst = bound.isInfinite ? "unbounded" : format(Double(Self.budget) * 1.01 * bound, 2)
            print(
                name.padding(to: 10) + worst.padding(to: 12)
                    + "P \(format(confidentBefore, 3)) -> \(format(after, 3)) (\(after < 0.5 ? "flipped" : "kept"))".padding(to: 44)
                    + "P \(format(borderlineBefore, 3)) -> \(format(moved, 3)) (\(format(abs(moved - borderlineBefore) * 100, 1)) points)\(mark)")
        }
        print("")
        print("worst case: how far \(Self.budget) counted rows can move the log-odds of any text; a verdict of P >= 0.95 sits at 2.94 or more.")
    }
}
