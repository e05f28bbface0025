/// One code pattern cut out of a source file: a function, a method or a type.
///
/// A unit's text is whole source lines, from the first line of the comments and attributes
/// directly above the declaration (doc comments, `@decorators`, `#[derive]`, no blank line
/// between) to the line of its closing brace, or, in Python, its last indented line.
///
/// Units nest: a type's unit spans its whole body, and each method inside it is a unit of its
/// own as well. The store deduplicates by content, and a search for "a class like this" and
/// one for "a method like this" both find something.
public struct SourceUnit: Sendable, Equatable, Hashable {
    /// What a unit declares; the raw value is stored with the pattern.
    public enum Kind: String, Sendable, CaseIterable, Hashable {
        /// A free function (Python module-level `def`, Swift/Go/Rust top-level function, JS
        /// `function` or `const f = () => {}`).
        case function
        /// A function inside a type, extension or `impl`, or a Go function with a receiver;
        /// initializers, `deinit` and subscripts too.
        case method
        /// A Swift computed property with a body of its own (`var body: some View { … }`,
        /// `var description: String { … }`); stored properties are not units.
        case property
        /// A class (Python, Swift, JS/TS, Java), a Swift actor, a Java record.
        case `class`
        /// A Swift, Go or Rust struct (and Rust union).
        case `struct`
        /// An enum (Swift, Rust, Java, TypeScript).
        case `enum`
        /// A Swift protocol, Go or Java or TypeScript interface, Rust trait.
        case interface
        /// A Swift extension or a Rust `impl` block, named after the type it extends.
        case `extension`

        /// Whether the unit is a type-like container whose body may hold methods.
        public var isType: Bool { self != .function && self != .method && self != .property }
    }

    /// The declared name, qualified by the enclosing types for members: `Parser.parse`,
    /// `Outer.Inner.method`; Go methods by their receiver type (`Server.Serve`), Swift
    /// extension members by the extended type, Rust `impl` members by the implementing type.
    /// Initializers are `Type.init`, Swift operators their symbol (`Vector.+`).
    public var name: String
    /// What the unit declares.
    public var kind: Kind
    /// The language of the file the unit came from.
    public var language: SourceLanguage
    /// The path of the file, as given to the splitter.
    public var path: String
    /// The first line of ``text`` (1-based), which may be a comment or attribute above the
    /// declaration.
    public var lineStart: Int
    /// The last line of the unit (1-based, inclusive): the closing brace or last body line.
    ///
    /// For a unit longer than ``SourceSplitter/Options/maximumLines`` this stays the real
    /// end even though ``text`` stops earlier (see ``isTruncated``).
    public var lineEnd: Int
    /// The line holding the declared name (`def`, `func`, `class` line), between
    /// ``lineStart`` and ``lineEnd``.
    public var declarationLine: Int
    /// The unit's source lines joined by `\n`, without a trailing newline.
    public var text: String

    /// Creates a unit; the splitter is the usual source.
    public init(
        name: String, kind: Kind, language: SourceLanguage, path: String,
        lineStart: Int, lineEnd: Int, declarationLine: Int, text: String
    ) {
        self.name = name
        self.kind = kind
        self.language = language
        self.path = path
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.declarationLine = declarationLine
        self.text = text
    }

    /// The number of source lines the unit spans.
    public var lineCount: Int { lineEnd - lineStart + 1 }

    /// Whether ``text`` was cut short because the unit is longer than the splitter's limit.
    public var isTruncated: Bool {
        var lines = 1
        for byte in text.utf8 where byte == UInt8(ascii: "\n") { lines += 1 }
        return lines < lineCount
    }
}
