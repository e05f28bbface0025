import Testing
import StrataStore

private let module = #"""
import os

# Adds two numbers.
@decorator
@other(
    arg=1,
)
def decorated(a,
              b):
    """Docstring.

def not_a_function():
    pass
"""
    x = '''
class NotAClass:
'''
    return a + \
        b


class Outer(Base):
    """Doc."""

    attr = {
        "k": 1,
    }

    def method(self):
        def inner():
            return 1

        return inner()

    @property
    def prop(self):

        return self._x
    # trailing comment

    class Inner:
        async def run(self):
            await x
            return y

    def one(self): return 1


async def top_async():
    await a()
    return b

def short(): pass
if TYPE_CHECKING:
    def guarded(x):
        return x
        # done
"""#

@Suite struct SourceSplitterPythonTests {
    @Test func pythonOutline() {
        #expect(outline(module, .python) == [
            "function decorated 3-19",
            "class Outer 22-46",
            "method Outer.method 29-33",
            "method Outer.prop 35-38",
            "class Outer.Inner 41-44",
            "method Outer.Inner.run 42-44",
            "method Outer.one 46-46",
            "function top_async 49-51",
            "function short 53-53",
            "function guarded 55-56",
        ])
    }

    @Test func pythonUnitTextIsTheExactLines() throws {
        let units = SourceSplitter.units(in: module, path: "m.py", language: .python)
        let decorated = try #require(units.first { $0.name == "decorated" })
        #expect(decorated.text.hasPrefix("# Adds two numbers.\n@decorator\n@other(\n"))
        #expect(decorated.text.hasSuffix("    return a + \\\n        b"))
        #expect(decorated.declarationLine == 8)
        #expect(decorated.language == .python && decorated.path == "m.py")
        // The default minimum of 3 lines drops one-liners.
        #expect(!units.contains { $0.name == "short" || $0.name == "Outer.one" })
        #expect(invariantViolation(units, lineCount: 57) == nil)
    }

    @Test func pythonTabsAndContinuations() {
        let text = "class A:\n\tdef f(self,\n\t      x):\n\t\treturn [\n1,\n]\n\n\tdef g(self):\n\t\tpass\nx = 1\n"
        #expect(outline(text, .python) == [
            "class A 1-9",
            "method A.f 2-6",
            "method A.g 8-9",
        ])
    }

    @Test func pythonSurvivesBrokenInput() {
        let text = "def f(:\n    '''never closed\ndef g():\n    pass\n"
        #expect(outline(text, .python) == ["function f 1-4"])
        #expect(outline("", .python).isEmpty)
        #expect(outline("def", .python).isEmpty)
        #expect(outline("class X:\n", .python) == ["class X 1-1"])
    }

    @Test func longUnitsAreTruncated() throws {
        let body = (0..<50).map { "    x\($0) = \($0)" }.joined(separator: "\n")
        let text = "def long():\n" + body + "\n"
        let unit = try #require(SourceSplitter.units(in: text, path: "p", language: .python, options: .init(maximumLines: 10)).first)
        #expect(unit.lineEnd == 51)
        #expect(unit.isTruncated)
        #expect(unit.text.split(separator: "\n").count == 10)
    }
}
