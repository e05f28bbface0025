import StrataGeneration
import Testing

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
    }

    @Test func bracketsAndBackslashesJoinLines() {
        let text = "total = (a +\n    b)\nvalue = 1 + \\\n  2\nitems = [\n  1,  # one\n\n  2,\n]\nend = 0\n"
        let (lines, comments) = PythonLexer.lex(text)
        #expect(lines.map(\.number) == [1, 3, 5, 10])
        #expect(lines[0].tokens.last?.line == 2)
        #expect(lines[2].tokens.filter { $0.kind == .number }.map(\.text) == ["1", "2"])
        #expect(comments.map(\.line) == [6])
    }

    @Test func indentationBuildsTheBlockTree() {
        let text = "class A:\n    x: int\n\n    def f(self):\n\tif self:\n\t    return 1\n        return 2\n\ndef g():\n    pass\n"
        let source = PythonSource(text)
        // Line 5's tab counts 8 columns, like the 8 spaces of line 7.
        #expect(source.lines.map(\.indent) == [0, 4, 4, 8, 12, 8, 0, 4])
        #expect(source.parents == [nil, 0, 0, 2, 3, 2, nil, 6])
        #expect(source.definitions(in: nil, kind: .class).map(\.name) == ["A"])
        #expect(source.definitions(in: 0, kind: .function).map(\.name) == ["f"])
        #expect(source.definitions(in: nil, kind: .function).map { "\($0.name)@\($0.line)" } == ["g@9"])
        #expect(source.annotatedFields(ofClass: 0).map(\.name) == ["x"])
    }

    @Test func anUnterminatedStringEndsAtItsLine() {
        let (lines, _) = PythonLexer.lex("a = 'open\nb = 2\n")
        #expect(lines.count == 2)
        #expect(lines[1].tokens.map(\.text) == ["b", "=", "2"])
    }

    @Test func importsAndWhatTheyBind() {
        let source = PythonSource("""
            import os.path, json as j
            from ..models import (A,
                B as C)
            from . import *
            try:
                import yaml
            except (ImportError, OSError):
                yaml = None
            X, Y = 1, 2
            Z: int = 3
            def f():
                import lazy
            """)
        let imports = source.imports
        #expect(imports.map(\.statement) == ["import os.path", "import json as j", "from ..models import A, B as C", "from . import *", "import yaml", "import lazy"])
        #expect(imports.map { source.isGuarded($0.lineIndex) } == [false, false, false, false, true, false])
        #expect(imports.map { source.isInsideFunction($0.lineIndex) } == [false, false, false, false, false, true])
        let bindings = source.moduleBindings
        #expect(bindings.names == ["os", "j", "A", "C", "yaml", "X", "Y", "Z", "f"])
        #expect(bindings.hasStarImport)
    }
}
