import Testing
import StrataText

@Suite struct PythonLexerTests {
    @Test func stringsOfEveryShapeAreOneToken() {
        let text = #"""
        a = 'it''s' + "say \"hi\"" + r'\d+\'' + b"\x00" + rb'raw' + F"{x}" + u'u'
        doc = """a "quoted" # not a comment
        second line"""
        single = '''one'''  # a comment
        """#
        let (lines, comments) = PythonLexer.lex(text)
        let strings = lines.flatMap(\.tokens).filter { $0.kind == .string }.map(\.text)
        #expect(strings == ["'it'", "'s'", #""say \"hi\"""#, #"r'\d+\''"#, #"b"\x00""#, "rb'raw'", #"F"{x}""#, "u'u'",
                            "\"\"\"a \"quoted\" # not a comment\nsecond line\"\"\"", "'''one'''"])
        #expect(comments.map(\.text) == ["# a comment"])
        #expect(comments.first?.line == 4)
        #expect(lines.map(\.number) == [1, 2, 4])
        #expect(lines[2].tokens.last?.stringBody == "one")
    }

    @Test func numbersNamesAndOperators() {
        let (lines, _) = PythonLexer.lex("x **= 1_000 + 0x1F - 1e-5 + .5j // y.z ... -> :=\n")
        let tokens = lines[0].tokens.map { "\($0.kind):\($0.text)" }
        #expect(tokens == ["name:x", "op:**=", "number:1_000", "op:+", "number:0x1F", "op:-", "number:1e-5", "op:+", "number:.5j",
                           "op://", "name:y", "op:.", "name:z", "op:...", "op:->", "op::="])
        // A hex number's `e` is a digit, not an exponent; characters Python rejects are operators.
        let (other, _) = PythonLexer.lex("0x1e-5 $a @= b?")
        #expect(other[0].tokens.map(\.text) == ["0x1e", "-", "5", "$", "a", "@=", "b", "?"])
    }

    @Test func bracketsAndBackslashesJoinLines() {
        let text = "total = (a +\n    b)\nvalue = 1 + \\\n  2\nitems = [\n  1,  # one\n\n  2,\n]\nend = 0\n"
        let (lines, comments) = PythonLexer.lex(text)
        #expect(lines.map(\.number) == [1, 3, 5, 10])
        #expect(lines[0].tokens.last?.line == 2)
        #expect(lines[2].tokens.filter { $0.kind == .number }.map(\.text) == ["1", "2"])
        #expect(comments.map(\.line) == [6])
    }

    @Test func anUnterminatedStringEndsAtItsLine() {
        let (lines, _) = PythonLexer.lex("a = 'open\nb = 2\n")
        #expect(lines.count == 2)
        #expect(lines[1].tokens.map(\.text) == ["b", "=", "2"])
        // A triple-quoted one runs to the end of the text.
        let (open, _) = PythonLexer.lex("a = '''open\nb = 2\n")
        #expect(open.count == 1 && open[0].tokens.last?.text == "'''open\nb = 2\n")
        #expect(open[0].tokens.last?.stringBody == "open\nb = 2\n")
    }

    @Test func aRealLookingModule() {
        let (lines, comments) = PythonLexer.lex(PythonSamples.module)
        let strings = lines.flatMap(\.tokens).filter { $0.kind == .string }
        #expect(strings.map(\.text) == PythonSamples.strings.map(\.2))
        #expect(strings.map { [$0.line, $0.column] } == PythonSamples.strings.map { [$0.0, $0.1] })
        #expect(comments.map(\.text) == PythonSamples.comments.map(\.2))
        #expect(comments.map { [$0.line, $0.column] } == PythonSamples.comments.map { [$0.0, $0.1] })
        // Logical lines: where each starts, and its indentation (a tab is 8 columns).
        #expect(lines.map { [$0.number, $0.indent] } == [
            [2, 0], [6, 0], [9, 0], [10, 0], [11, 0], [15, 0], [16, 0], [19, 0], [22, 4], [23, 8], [24, 4],
            [27, 0], [28, 8], [30, 8], [31, 16], [32, 24], [35, 16],
        ])
        // f-strings are opaque: the names inside the braces are not tokens.
        #expect(!lines.flatMap(\.tokens).contains { $0.isName("name") || $0.isName("key") })
        #expect(lines[7].tokens.prefix(2).map(\.text) == ["def", "outer"] && lines[7].tokens.last?.text == ":")
    }

    @Test func crlfReadsAsLF() {
        // Python reads `\r\n` as a line break, a `\` before it included, in strings too.
        let (lines, comments) = PythonLexer.lex("x = 'a\\\r\nb'  # c\r\nif (y or\r\n    z):\r\n\tpass\r\n")
        #expect(lines.map(\.number) == [1, 3, 5])
        #expect(lines[0].tokens.last?.text == "'a\\\r\nb'")
        #expect(comments.map { [$0.line, $0.column] } == [[2, 4]])
        #expect(lines[2].indent == 8 && lines[2].tokens.map(\.column) == [1])
    }

    @Test func emptyText() {
        let (lines, comments) = PythonLexer.lex("")
        #expect(lines.isEmpty && comments.isEmpty)
        #expect(PythonLexer.lex("\n\n  # only a comment\n").lines.isEmpty)
    }
}
