/// The two kinds of model this build trains, serves and reads from model files.
public enum ModelVariant: String, Sendable, CaseIterable {
    /// The book's: hashed unigrams minus stop words, one SGD pass in minibatches, as
    /// scikit-learn trains it (byte for byte).
    case book
    /// The default: unigrams and bigrams of a cleaner tokenizer, each scaled by its Naive Bayes
    /// log-count ratio, averaged SGD over several epochs (docs/research/).
    case ngram
}
