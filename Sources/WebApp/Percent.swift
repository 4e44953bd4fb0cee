/// A probability as the results page shows it: a percentage with two decimals ("93.12"), used
/// as the text and as the `<meter>`'s value.
struct Percent: Equatable {
    let text: String

    /// Nil when `probability` is not a number between 0 and 1, which no working model gives.
    init?(_ probability: Double) {
        guard probability >= 0, probability <= 1 else { return nil }
        let hundredths = Int((probability * 10_000).rounded())
        let fraction = hundredths % 100
        text = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
