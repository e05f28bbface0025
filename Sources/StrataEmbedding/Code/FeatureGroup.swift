/// The four feature groups of the built-in embedder, kept in the low two bits of every
/// feature hash so that one sorted array holds them all.
enum FeatureGroup: Int, CaseIterable {
    /// N-grams (2–4) of the structural token stream: keywords, operators, punctuation, line
    /// breaks and literal classes kept, every identifier one placeholder.
    case structure = 0
    /// N-grams (2–3) of the same stream in which each identifier is replaced by how far back
    /// the same name was last used, so that data flow survives renaming.
    case dataFlow = 1
    /// Subwords of identifiers, comments and strings, lower-cased.
    case words = 2
    /// Character trigrams of those subwords, for near-miss spellings.
    case trigrams = 3
}
