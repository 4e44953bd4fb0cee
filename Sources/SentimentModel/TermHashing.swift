/// How the n-gram variant turns a term into its column: recorded in the model file, since a
/// model's weights belong to the columns its terms were hashed to.
public enum TermHashing: Sendable, Equatable, CaseIterable {
    /// MurmurHash3 of the term's UTF-8 (its tokens joined by a space), as the research in
    /// Python hashed them (`docs/research/model-variant-3.md`): the models trained before
    /// token keys, read and served as they are. A token's bytes are hashed once for each term
    /// that holds it, three times in a view.
    case termBytes
    /// Each token hashed once, to a 64-bit key, and a term's key its tokens' keys combined
    /// (`TokenKey`): the same kind of columns (a term lands on any column alike, two terms on
    /// one as often), at about a third of the hashing's cost. What models are trained with.
    case tokenKeys
}
