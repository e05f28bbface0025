import StrataGeneration
import StrataText
import Testing

/// The block tree and the import reading on top of StrataText's `PythonLexer` (whose own tests
/// are in StrataTextTests).
@Suite struct PythonSourceTests {
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
