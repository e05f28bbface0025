import Testing
import StrataText

@Suite struct PythonLineLayoutTests {
    @Test func aRealLookingModule() {
        let layout = PythonLineLayout(PythonSamples.module)
        let c = PythonLineLayout.Kind.continuation, b = PythonLineLayout.Kind.blank
        let m = PythonLineLayout.Kind.comment, s = PythonLineLayout.Kind.statement
        #expect(layout.kinds == [
            m, s, c, c, c, s, c, b, s, s,      // 1–10: the docstring and the `\` join continue their lines
            s, c, b, b, s, s, c, c, s, c,      // 11–20: a triple string, a decorator's call, a def's brackets
            m, s, s, s, b, b, s, s, b, s,      // 21–30
            s, s, c, c, s,                     // 31–35: a list over three lines
        ])
        #expect(layout.indents == [
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            4, 4, 8, 4, 0, 0, 0, 8, 0, 8,
            16, 24, 0, 0, 16,
        ])
        // Where each statement's text begins, after spaces and tabs.
        let bytes = Array(PythonSamples.module.utf8)
        let firstBytes = layout.kinds.indices.filter { layout.kinds[$0] == .statement }.map { bytes[layout.contentStarts[$0]] }
        #expect(String(decoding: firstBytes, as: UTF8.self) == "\"iPGB@@ddrrc\"dirr")
    }

    @Test func indentationIsMeasuredAsCPythonDoes() {
        // A tab advances to the next multiple of 8; a form feed resets to 0.
        let layout = PythonLineLayout("a\n  b\n\tc\n  \td\n        \te\n\u{0C}  f\n  \u{0C}g\n")
        #expect(layout.indents == [0, 2, 8, 8, 16, 2, 0])
        #expect(layout.kinds.allSatisfy { $0 == .statement })
    }

    @Test func aFinalLineBreakOpensNoLine() {
        #expect(PythonLineLayout("").kinds == [.blank])
        #expect(PythonLineLayout("\n").kinds == [.blank])
        #expect(PythonLineLayout("a").count == 1)
        #expect(PythonLineLayout("a\n").count == 1)
        #expect(PythonLineLayout("a\n\n").kinds == [.statement, .blank])
        #expect(PythonLineLayout("a = '''\n").kinds == [.statement])
        #expect(PythonLineLayout("a = \\\n").kinds == [.statement])
    }

    @Test func blankCommentAndCarriageReturns() {
        let layout = PythonLineLayout("x = 1\r\n\r\n   \r\n  # note\r\nif (a or\r\n    b):\r\n  s = 'q\\\r\nr'\r\n")
        #expect(layout.kinds == [.statement, .blank, .blank, .comment, .statement, .continuation, .statement, .continuation])
        #expect(layout.indents == [0, 0, 3, 2, 0, 0, 2, 0])
    }
}
