import Testing
import StrataText

@Suite struct WordSplitterTests {
    @Test(arguments: [
        ("camelCaseWord", ["camel", "case", "word"]),
        ("snake_case_name", ["snake", "case", "name"]),
        ("SCREAMING_SNAKE", ["screaming", "snake"]),
        ("HTTPServer", ["http", "server"]),
        ("parseJSONValue", ["parse", "json", "value"]),
        ("parseJSON2Value", ["parse", "json", "2", "value"]),
        ("utf8Encoder", ["utf", "8", "encoder"]),
        ("v2Beta", ["v", "2", "beta"]),
        ("HTTP2Server", ["http", "2", "server"]),
        ("cp437", ["cp", "437"]),
        ("__init__", ["init"]),
        ("$scope.value", ["scope", "value"]),
        ("read JSON file, then close()", ["read", "json", "file", "then", "close"]),
        ("ABC", ["abc"]),
        ("x", ["x"]),
        // Mixed-case acronyms split where their capitals are: a known limit of the rule.
        ("IPv6", ["i", "pv", "6"]),
        ("ABCs", ["ab", "cs"]),
    ])
    func standardRuleOverUTF8(_ text: String, _ expected: [String]) {
        #expect(WordSplitter.standard.utf8Words(in: text) == expected)
        // On ASCII the Character path reads the same.
        #expect(WordSplitter.standard.words(in: text) == expected)
    }

    @Test(arguments: [
        ("HTTPServer", ["httpserver"]),
        ("parseJSON2Value", ["parse", "json2", "value"]),
        ("snake_case_name", ["snake", "case", "name"]),
        ("utf8Encoder", ["utf8", "encoder"]),
        ("2fast", ["2fast"]),
        ("v2Beta", ["v2", "beta"]),
    ])
    func caseChangesOnlyKeepsAcronymsAndDigitsInTheirWord(_ text: String, _ expected: [String]) {
        #expect(WordSplitter.caseChangesOnly.words(in: text) == expected)
        #expect(WordSplitter.caseChangesOnly.utf8Words(in: text) == expected)
    }

    @Test func optionsCombine() {
        #expect(WordSplitter(splitsAcronyms: false).utf8Words(in: "HTTPServer2") == ["httpserver", "2"])
        #expect(WordSplitter(digits: .attached).utf8Words(in: "HTTPServer2Go") == ["http", "server2", "go"])
    }

    @Test func emptyAndSeparatorOnlyTextsHaveNoWords() {
        for text in ["", " ", "__", "$_$", "\n\t", "+-*/ () {}"] {
            #expect(WordSplitter.standard.utf8Words(in: text).isEmpty, "\(text)")
            #expect(WordSplitter.standard.words(in: text).isEmpty, "\(text)")
        }
    }

    /// Over UTF-8 only ASCII has case: a multi-byte character is a letter with no case, so it
    /// neither ends a camelCase word nor is lower-cased, and any non-ASCII character (a dash
    /// too) joins a word. The Character path knows Unicode.
    @Test func unicodeLetters() {
        #expect(WordSplitter.standard.utf8Words(in: "caféBar") == ["cafébar"])
        #expect(WordSplitter.standard.words(in: "caféBar") == ["café", "bar"])
        #expect(WordSplitter.standard.utf8Words(in: "ÉtatCivil") == ["État", "civil"])
        #expect(WordSplitter.standard.words(in: "ÉtatCivil") == ["état", "civil"])
        #expect(WordSplitter.standard.words(in: "straßeNummer ΑθήναΠόλη") == ["straße", "nummer", "αθήνα", "πόλη"])
        #expect(WordSplitter.standard.utf8Words(in: "foo—bar") == ["foo—bar"])
        #expect(WordSplitter.standard.words(in: "foo—bar") == ["foo", "bar"])
        // No case at all: one word either way.
        #expect(WordSplitter.standard.utf8Words(in: "日本語テキスト") == ["日本語テキスト"])
        #expect(WordSplitter.standard.words(in: "日本語テキスト") == ["日本語テキスト"])
        // Unicode digits are numbers to the Character path.
        #expect(WordSplitter.standard.words(in: "x١٢y") == ["x", "١٢", "y"])
    }

    @Test func utf8WordsAreOffsetsInsideTheRangeGiven() {
        var text = "  xxHTTPServer_parseJSON  "
        let words = text.withUTF8 { bytes in
            var words: [Range<Int>] = []
            WordSplitter.standard.forEachWord(in: bytes, from: 4, to: 22) { words.append($0..<$1) }
            return words
        }
        // The last word is cut at `end`, and the acronym rule does not look past it: "JS", not "J".
        #expect(words == [4..<8, 8..<14, 15..<20, 20..<22])
    }
}
