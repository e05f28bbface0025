import Foundation

extension ValidationGates {
    /// Compiles every `.py` file with one Python process: the files go in as JSON on stdin,
    /// one result per file comes back as JSON on stdout. Under
    /// ``Configuration/keepsInterpreter`` the process is a ``SyntaxWorker`` that stays for
    /// the next node; a worker that breaks is replaced by a one-off run, whose error says why.
    static func syntaxGate(_ node: ParsedNode, configuration: Configuration) -> GateResult {
        let python = configuration.python ?? PythonProcess.locate()
        guard let python, FileManager.default.isExecutableFile(atPath: python) else {
            let place = configuration.python.map { "at \($0)" } ?? "on PATH"
            return GateResult(gate: .syntax, status: .skipped, detail: "python3 was not found \(place), so the syntax of the Python files was not checked.")
        }
        let files = node.node.files.filter(\.isPython).map { SyntaxRequest(path: $0.path, text: $0.text) }
        let input: Data
        do {
            input = try JSONEncoder().encode(files)
        } catch {
            return GateResult(gate: .syntax, status: .failed, detail: "The files could not be encoded for python3: \(error).")
        }
        let timedOut = GateResult(
            gate: .syntax, status: .failed,
            detail: "\(python) did not finish checking the syntax within \(configuration.syntaxTimeout) s and was killed; check that it is a working Python 3 interpreter.")
        let answer = { (data: Data) in (try? JSONDecoder().decode([SyntaxResult].self, from: data)).flatMap { $0.count == files.count ? $0 : nil } }
        var results: [SyntaxResult]?
        // A worker lives long, so it may start through a shim: the shim's cost is paid once.
        if configuration.keepsInterpreter, let worker = SyntaxWorkers.checkOut(python, arguments: workerArguments, timeout: configuration.syntaxTimeout) {
            defer { SyntaxWorkers.checkIn(worker) }
            switch worker.ask(input, timeout: configuration.syntaxTimeout) {
            case let .line(line):
                results = answer(line)
                // An answer that is not one: the worker is not what it should be.
                if results == nil { worker.stop() }
            case .timedOut: return timedOut
            case .broken: break
            }
        }
        if results == nil {
            // The one found on PATH may be a version manager's shim: a one-off run starts what
            // it would start (resolved only here, where it is needed).
            let interpreter = configuration.python == nil ? PythonProcess.interpreter(behind: python) : python
            switch PythonProcess.run(interpreter, arguments: checkArguments, input: input, timeout: configuration.syntaxTimeout) {
            case let .failedToStart(problem):
                return GateResult(gate: .syntax, status: .failed, detail: "\(python) could not check the syntax: \(problem).")
            case .timedOut:
                return timedOut
            case let .finished(status, stdout, stderr):
                results = status == 0 ? answer(stdout) : nil
                guard results != nil else {
                    let message = String(decoding: stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "no message"
                    return GateResult(gate: .syntax, status: .failed, detail: "\(python) exited with status \(status) without a usable answer (\(message)); expected a Python 3 interpreter.")
                }
            }
        }
        let issues = (results ?? []).filter { !$0.ok }.map { result in
            let column = result.offset.map { " (column \($0))" } ?? ""
            return ValidationIssue(path: result.path, line: result.line, message: "Python cannot compile it: \(result.message ?? "syntax error")\(column)")
        }
        return .from(.syntax, issues: issues, checked: "All \(files.count) Python files compile.")
    }

    /// Starts the syntax workers `count` nodes checked at once will need, so that the
    /// interpreters come up while the nodes are still being made (it returns at once). Does
    /// nothing when the configuration does not keep interpreters or skips the syntax gate.
    public static func prepare(_ configuration: Configuration, count: Int) {
        guard configuration.keepsInterpreter, configuration.gates.contains(.syntax), count > 0,
              let python = configuration.python ?? PythonProcess.locate(), FileManager.default.isExecutableFile(atPath: python) else { return }
        SyntaxWorkers.warm(python, arguments: workerArguments, count: count)
    }

    // -I: ignore PYTHON* variables and the user's site-packages; -S: skip `site` (faster
    // start-up, and ast and json need nothing from it); -W ignore: SyntaxWarnings are not
    // failures and would only clutter stderr.
    private static let checkArguments = ["-I", "-S", "-W", "ignore", "-c", checkScript]
    private static let workerArguments = ["-I", "-S", "-W", "ignore", "-c", workerScript]

    private struct SyntaxRequest: Encodable {
        var path: String
        var text: String
    }

    private struct SyntaxResult: Decodable {
        var path: String
        var ok: Bool
        var message: String?
        var line: Int?
        var offset: Int?
    }

    /// Parses with `ast`, then compiles the tree: the compiler's own checks catch what the
    /// parser lets through (`return` outside a function, a misplaced `nonlocal`).
    private static let checkFunction = """
    import ast, json, sys
    def check(f):
        try:
            compile(ast.parse(f["text"], f["path"]), f["path"], "exec", dont_inherit=True)
        except SyntaxError as e:
            return {"path": f["path"], "ok": False, "message": e.msg, "line": e.lineno, "offset": e.offset}
        except (ValueError, RecursionError, MemoryError) as e:
            return {"path": f["path"], "ok": False, "message": str(e) or type(e).__name__}
        return {"path": f["path"], "ok": True}

    """

    /// One run: every file on stdin, every result on stdout.
    private static let checkScript = checkFunction + """
    sys.stdout.write(json.dumps([check(f) for f in json.loads(sys.stdin.buffer.read())]))
    """

    /// A worker: one request per line, one answer line each, until stdin closes.
    private static let workerScript = checkFunction + """
    for line in sys.stdin.buffer:
        sys.stdout.write(json.dumps([check(f) for f in json.loads(line)]) + "\\n")
        sys.stdout.flush()
    """
}
