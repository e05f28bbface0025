/// The terms BM25 indexes and looks up: the words of a text split the way code is named
/// (``WordSplitter/standard``: `parseHTTPResponse` → parse, http, response; `write_rows` →
/// write, rows), each reduced to its ``WordKey`` (ASCII lower-cased, a plural `s` dropped), so
/// that a query in prose ("write rows to postgres") meets the code's identifiers.
///
/// Documents and queries go through the same rule. One-letter words (`i`, `x`, the `s` of
/// `it's`) are left out: they say nothing about what code does.
public enum LexicalTerms {
    /// Shortest word kept, in UTF-8 bytes.
    public static let minimumWordBytes = 2

    /// Each distinct term of `text` with its count, ascending by term; the counts add up to
    /// the words kept (BM25's document length).
    ///
    /// - Complexity: O(n) in the text's UTF-8 length; a 10 MB text takes tens of milliseconds.
    public static func counts(in text: String) -> [(term: UInt64, count: UInt32)] {
        var counts: [UInt64: UInt32] = [:]
        var text = text
        text.withUTF8 { bytes in
            WordSplitter.standard.forEachWord(in: bytes, from: 0, to: bytes.count) { start, end in
                guard end - start >= minimumWordBytes else { return }
                counts[WordKey.hash(bytes, start, end), default: 0] &+= 1
            }
        }
        return counts.map { (term: $0.key, count: $0.value) }.sorted { $0.term < $1.term }
    }
}
