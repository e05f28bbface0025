import Testing
import StrataText

@Suite struct KeywordTableTests {
    @Test func kindsAsWritten() {
        let table = KeywordTable.shared
        #expect(table.kind(of: "def") == .keyword)
        #expect(table.kind(of: "None") == .keyword)
        // Case-sensitive: the table holds keywords as their languages write them.
        #expect(table.kind(of: "none") == .none)
        #expect(table.kind(of: "NONE") == .none)
        #expect(table.kind(of: "the") == .stopWord)
        #expect(table.kind(of: "which") == .stopWord)
        // In both lists: the keyword wins.
        #expect(table.kind(of: "this") == .keyword)
        #expect(table.kind(of: "of") == .keyword)
        // Keywords somewhere, variable names elsewhere: left out.
        for word in ["match", "loop", "select", "default", "type", "init", "parse", ""] {
            #expect(table.kind(of: word) == .none, "\(word)")
        }
    }

    @Test func everyListedWordIsFound() {
        for word in Keywords.code { #expect(KeywordTable.shared.kind(of: word) == .keyword, "\(word)") }
        let stopOnly = Keywords.englishStopWords.filter { !Keywords.code.contains($0) }
        #expect(stopOnly.count == Keywords.englishStopWords.count - 2)
        for word in stopOnly { #expect(KeywordTable.shared.kind(of: word) == .stopWord, "\(word)") }
    }

    /// The lists are part of the built-in embedder's stored vectors: a change must be seen.
    @Test func theListsArePinned() {
        #expect(Keywords.code.count == 119)
        #expect(Set(Keywords.code).count == Keywords.code.count)
        #expect(Keywords.englishStopWords.count == 77)
        #expect(Keywords.code.reduce(0) { $0 &+ StableHash.fnv1a($1) } == 0xa70d_230d_7780_02a0)
        #expect(Keywords.englishStopWords.reduce(0) { $0 &+ StableHash.fnv1a($1) } == 0x925f_92a3_d1a2_3716)
    }

    @Test func pythonKeywordsAreCPythons() {
        // keyword.kwlist of CPython 3.11–3.13, and keyword.softkwlist plus 3.12's `type`.
        #expect(Keywords.python.count == 35)
        #expect(Keywords.python.isSubset(of: Set(Keywords.code)))
        #expect(Keywords.pythonSoft == ["_", "case", "match", "type"])
        #expect(Keywords.python.isDisjoint(with: Keywords.pythonSoft))
        #expect(PythonToken(kind: .name, text: "lambda", line: 1, column: 0).isKeyword)
        #expect(!PythonToken(kind: .name, text: "match", line: 1, column: 0).isKeyword)
        #expect(!PythonToken(kind: .string, text: "lambda", line: 1, column: 0).isKeyword)
    }
}
