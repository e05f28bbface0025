import Foundation
import StrataGeneration
import Testing

@Suite struct CodeMetricsTests {
    private func complexities(_ text: String) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: PythonSource(text).functionComplexities.map { ($0.name, $0.complexity) })
    }

    @Test func mcCabeOnSmallFunctions() {
        let measured = complexities("""
            def plain(x):
                return x + 1

            def two_ifs_and_an_and(a, b):
                if a and b:
                    return 1
                if a:
                    return 2
                return 3

            def loops(items):
                total = 0
                for item in items:
                    while item > 0:
                        item -= 1
                try:
                    total += 1
                except ValueError:
                    pass
                except (TypeError, KeyError):
                    pass
                return total

            def expressions(xs):
                evens = [x for x in xs if x % 2 == 0 or x > 10]
                return evens if evens else None

            def dispatch(command):
                match command:
                    case "start":
                        return 1
                    case "stop":
                        return 0
                    case _:
                        return -1

            class Holder:
                def method(self, value):
                    def inner(y):
                        return y if y else 0
                    if value:
                        return inner(value)
                    elif value is None:
                        return None
                    return inner(0)
            """)
        #expect(measured["plain"] == 1)
        #expect(measured["two_ifs_and_an_and"] == 4)
        #expect(measured["loops"] == 5)
        #expect(measured["expressions"] == 5)
        #expect(measured["dispatch"] == 4)
        #expect(measured["Holder.method"] == 3)
        #expect(measured["Holder.method.inner"] == 2)
    }

    @Test func halsteadVolumeOfOneStatement() {
        // Operators {=, +}, operands {x, a, b}: n = 5, N = 5, V = 5·log₂5.
        let metrics = CodeMetrics(path: "a.py", text: "x = a + b\n")
        #expect(abs(metrics.halsteadVolume - 5 * log2(5)) < 1e-9)
        #expect(metrics.sloc == 1)
    }

    @Test func documentationIsNotSourceLines() {
        let metrics = CodeMetrics(path: "a.py", text: "\"\"\"Module\n\ndocs.\"\"\"\n# comment\n\ndef f():\n    \"\"\"Doc.\"\"\"\n    return [\n        1,\n    ]\n")
        #expect(metrics.sloc == 4)
        #expect(metrics.functions == 1)
        #expect(CodeMetrics(path: "empty.py", text: "").maintainabilityIndex == 100)
    }

    @Test func maintainabilityFallsAsCodeGrowsTangled() {
        let trivial = CodeMetrics(path: "trivial.py", text: "def answer():\n    return 42\n")
        #expect(trivial.maintainabilityIndex > 60)
        var tangled = "def tangled(a, b, c, d):\n    total = 0\n"
        for index in 0..<40 {
            tangled += "    if a > \(index) and b < \(index) or c == \(index):\n        for x in range(d):\n            total += x * \(index) if x % 3 else -x\n"
        }
        tangled += "    return total\n"
        let metrics = CodeMetrics(path: "tangled.py", text: tangled)
        // Each block: `if`, `and`, `or`, `for` and a conditional expression.
        #expect(metrics.maxComplexity == 1 + 40 * 5)
        #expect(metrics.mostComplexFunction == "tangled")
        #expect(metrics.maintainabilityIndex < 20)
        #expect(metrics.maintainabilityIndex < trivial.maintainabilityIndex)
    }

    /// The same functions measured by Python's own `ast` with the rules of ``CodeMetrics``
    /// (radon's, minus loop and `try` `else`s).
    @Test(.enabled(if: hasPython)) func agreesWithPythonsAST() throws {
        let code = """
            def parse(text, strict=False):
                result = {}
                for line in text.splitlines():
                    if not line or line.startswith("#"):
                        continue
                    key, _, value = line.partition("=")
                    if strict and not value:
                        raise ValueError(line)
                    result[key.strip()] = value.strip() if value else None
                return result

            def retry(call, attempts):
                while attempts > 0:
                    try:
                        return call()
                    except (TimeoutError, ConnectionError):
                        attempts -= 1
                    except Exception:
                        raise
                return None

            def classify(values):
                return {v: ("big" if v > 100 else "small") for v in values if v is not None and v >= 0}

            def route(event):
                match event:
                    case {"type": "click"}:
                        return "ui"
                    case {"type": "job"} if event.get("queue"):
                        return "worker"
                    case _:
                        return "drop"
            """
        let script = """
            import ast, json, sys
            def cc(fn):
                n = 1
                for node in ast.walk(fn):
                    if isinstance(node, (ast.If, ast.IfExp, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler, ast.match_case)):
                        n += 1
                    elif isinstance(node, ast.BoolOp):
                        n += len(node.values) - 1
                    elif isinstance(node, ast.comprehension):
                        n += 1 + len(node.ifs)
                    if isinstance(node, ast.match_case) and node.guard is not None:
                        n += 1
                return n
            tree = ast.parse(sys.stdin.read())
            print(json.dumps({f.name: cc(f) for f in tree.body if isinstance(f, ast.FunctionDef)}))
            """
        let python = try #require(PythonProcess.locate())
        guard case let .finished(0, stdout, _) = PythonProcess.run(python, arguments: ["-c", script], input: Data(code.utf8), timeout: 20) else {
            Issue.record("python3 failed to measure the sample")
            return
        }
        let expected = try JSONDecoder().decode([String: Int].self, from: stdout)
        #expect(expected.count == 4)
        #expect(complexities(code) == expected)
    }
}
