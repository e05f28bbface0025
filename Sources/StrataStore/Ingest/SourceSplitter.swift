/// Splits source files into code patterns: functions, methods and types.
///
/// The splitter is heuristic and never fails: it reads text the way a syntax highlighter
/// does, not a compiler, so it cannot be confused into an error, only into missing a unit.
///
/// - Python is split by indentation: a scanner marks the
///   physical lines that start a logical line (outside strings, brackets and `\`
///   continuations), and a `def`/`class` block runs to the next logical line indented no
///   deeper than its header (`PythonSplitter`).
/// - Every other language goes through one brace-aware lexer (strings, interpolation,
///   comments, character literals, JS regular expressions) and a small per-language
///   classifier that decides, at each `{`, what the header in front of it declares
///   (`BraceSplitter`, `BraceHeader`).
///
/// What is reported:
/// - Types (with their whole body) and the functions and methods declared at file level or
///   directly inside types, extensions, `impl` blocks and namespaces, at any type nesting
///   depth (`Outer.Inner.method`).
/// - Swift computed properties with a body (`var body: some View { … }`).
/// - Not functions nested in functions, closures, object-literal methods, or anything else
///   inside a function body: they are part of their function.
///
/// A unit includes the comments, decorators and attributes directly above its declaration.
///
/// - Complexity: O(*n*) in the file size for the lexers; Python blocks cost
///   O(*n* × nesting depth).
public enum SourceSplitter {
    /// Size limits for the units the splitter returns.
    public struct Options: Sendable, Equatable {
        /// Units spanning fewer lines are dropped. Default 3: one- and two-liners
        /// (`var x: Int { 1 }`, `def name(self): return self._name`) say little as patterns.
        public var minimumLines: Int
        /// Units spanning more lines keep their real ``SourceUnit/lineEnd`` but their text
        /// stops after this many lines (``SourceUnit/isTruncated``). Default 400: longer text
        /// is past what embedding models read, and a big type's methods are units anyway.
        public var maximumLines: Int

        /// Creates options; every parameter has its default.
        ///
        /// - Parameters:
        ///   - minimumLines: Fewest lines a unit may span (default 3); clamped to at least 1.
        ///   - maximumLines: Most lines of text a unit keeps (default 400); clamped to at
        ///     least `minimumLines`.
        public init(minimumLines: Int = 3, maximumLines: Int = 400) {
            self.minimumLines = max(1, minimumLines)
            self.maximumLines = max(self.minimumLines, maximumLines)
        }
    }

    /// The functions, methods and types declared in one file's text.
    ///
    /// - Parameters:
    ///   - text: The file's contents.
    ///   - path: The file's path, copied into each unit.
    ///   - language: How to read `text`.
    ///   - options: Size limits (defaults: at least 3 lines, text cut after 400).
    /// - Returns: Units ordered by first line, an enclosing type before its members. Every
    ///   unit has `1 ≤ lineStart ≤ declarationLine ≤ lineEnd ≤` the file's line count and
    ///   non-empty text.
    /// - Complexity: O(*n*) in the size of `text` (see the type's discussion).
    public static func units(
        in text: String, path: String, language: SourceLanguage, options: Options = .init()
    ) -> [SourceUnit] {
        let bytes = Array(text.utf8)
        let lines = LineTable(bytes)
        let declarations: [Declaration] = switch language {
        case .python: PythonSplitter.declarations(in: bytes, lines: lines)
        default: BraceSplitter.declarations(in: bytes, lines: lines, language: language)
        }
        var units: [SourceUnit] = []
        units.reserveCapacity(declarations.count)
        for declaration in declarations {
            // Indices are 0-based here; guard the ordering a scanner bug could break.
            guard declaration.lineStart >= 0,
                  declaration.lineStart <= declaration.declarationLine,
                  declaration.declarationLine <= declaration.lineEnd,
                  declaration.lineEnd < lines.count,
                  !declaration.name.isEmpty
            else { continue }
            let span = declaration.lineEnd - declaration.lineStart + 1
            guard span >= options.minimumLines else { continue }
            let lastKept = min(declaration.lineEnd, declaration.lineStart + options.maximumLines - 1)
            units.append(SourceUnit(
                name: declaration.name, kind: declaration.kind, language: language, path: path,
                lineStart: declaration.lineStart + 1, lineEnd: declaration.lineEnd + 1,
                declarationLine: declaration.declarationLine + 1,
                text: lines.text(bytes, from: declaration.lineStart, through: lastKept)
            ))
        }
        units.sort { ($0.lineStart, -$0.lineEnd, $0.declarationLine) < ($1.lineStart, -$1.lineEnd, $1.declarationLine) }
        return units
    }
}
