extension ValidationGates {
    /// Relative imports must resolve inside the node to a module that binds the imported
    /// names; absolute ones must be standard library, `pytest` in tests, guarded by
    /// `try`/`except ImportError`, or a contract dependency imported inside a function.
    static func importsGate(_ parsed: ParsedNode) -> GateResult {
        let resolver = ImportResolver(parsed)
        var issues: [ValidationIssue] = []
        var count = 0
        for file in parsed.node.files where file.isPython {
            let source = parsed.sources[file.path]!
            for statement in source.imports {
                count += 1
                if let problem = resolver.problem(with: statement, in: file.path, source: source) {
                    issues.append(ValidationIssue(path: file.path, line: statement.line, message: "\(statement.statement): \(problem)"))
                }
            }
        }
        return .from(.imports, issues: issues, checked: "All \(count) imports resolve or are allowed.")
    }
}

/// Resolves imports against the node's own files and the modules it may use.
private struct ImportResolver {
    let parsed: ParsedNode
    let paths: Set<String>
    /// Import names of the contract's dependencies (`kafka` for `kafka-python`).
    let dependencies: Set<String>

    init(_ parsed: ParsedNode) {
        self.parsed = parsed
        paths = Set(parsed.node.files.map(\.path))
        dependencies = Set(parsed.contract.dependencies.map { PythonModules.importName(ofPackage: $0.name) })
    }

    /// What is wrong with `statement` in the file at `path`, or `nil` when it is fine.
    func problem(with statement: PythonImport, in path: String, source: PythonSource) -> String? {
        if statement.level > 0 {
            var package = path.split(separator: "/").dropLast().map(String.init)
            guard statement.level - 1 <= package.count else {
                return "goes \(statement.level) packages up, above the node's folder"
            }
            package.removeLast(statement.level - 1)
            return problem(resolving: statement, under: package)
        }
        let top = statement.topLevelModule
        if top == parsed.contract.name {
            // The node imported by its own absolute name: resolve like a relative import.
            return problem(resolving: statement, under: [], droppingFirstComponent: true)
        }
        if PythonModules.standardLibrary.contains(top) { return nil }
        if PythonModules.testing.contains(top) {
            return PythonModules.isTestFile(path) ? nil : "\(top) is for tests only; import it only under tests/"
        }
        if source.isGuarded(statement.lineIndex) { return nil }
        let lazy = source.isInsideFunction(statement.lineIndex)
        switch (dependencies.contains(top), lazy) {
        case (true, true):
            return nil
        case (true, false):
            return "\(top) is a contract dependency but is imported at module level; import it inside the method that uses it, or guard it with try/except ImportError"
        case (false, _):
            return "\(top) is not in the standard library, not a contract dependency, and not guarded by try/except ImportError; expected a fallback for an optional package"
        }
    }

    /// Resolves `statement`'s module under the package folder `package` (components), then
    /// the names it takes.
    private func problem(resolving statement: PythonImport, under package: [String], droppingFirstComponent: Bool = false) -> String? {
        var components = statement.module.split(separator: ".").map(String.init)
        if droppingFirstComponent { components.removeFirst() }
        let folder = (package + components).joined(separator: "/")
        let prefix = folder.isEmpty ? "" : folder + "/"
        let moduleFile = components.isEmpty ? nil : folder + ".py"
        let packageFile = prefix + "__init__.py"
        let target = [moduleFile, packageFile].compactMap { $0 }.first { paths.contains($0) }
        guard let target else {
            if components.isEmpty, statement.isFrom {
                // `from . import x` in a folder without `__init__.py`: only submodules answer.
                return missingNames(statement, bindings: [], hasStarImport: false, submodulesUnder: prefix, target: folder.isEmpty ? "the node folder" : folder)
            }
            let looked = [moduleFile, packageFile].compactMap { $0 }.joined(separator: " and ")
            return "no module \(statement.module.isEmpty ? "(the package itself)" : statement.module) in the node (looked for \(looked))"
        }
        guard statement.isFrom else { return nil }
        let (bindings, hasStarImport) = parsed.sources[target]?.moduleBindings ?? ([], false)
        return missingNames(statement, bindings: bindings, hasStarImport: hasStarImport,
                            submodulesUnder: target == packageFile ? prefix : nil, target: target)
    }

    /// The names `statement` takes that `target` neither binds nor has as a submodule.
    private func missingNames(_ statement: PythonImport, bindings: Set<String>, hasStarImport: Bool, submodulesUnder prefix: String?, target: String) -> String? {
        guard !hasStarImport else { return nil }
        let missing = statement.names.map(\.name).filter { name in
            guard name != "*", !bindings.contains(name) else { return false }
            guard let prefix else { return true }
            return !paths.contains(prefix + name + ".py") && !paths.contains(prefix + name + "/__init__.py")
        }
        guard !missing.isEmpty else { return nil }
        return "\(target) neither defines nor imports \(missing.joined(separator: ", ")); expected \(missing.count == 1 ? "it" : "them") there"
    }
}
