/// A programming language the ingest splitter understands.
///
/// Python is split by indentation; every other language is split by a brace-aware lexer (see
/// ``SourceSplitter``). The raw value is the lower-case name stored with each pattern.
public enum SourceLanguage: String, Sendable, CaseIterable, Hashable {
    case python
    case swift
    case javascript
    case typescript
    case go
    case rust
    case java

    /// File name extensions (lower case, without the dot) of this language.
    ///
    /// TypeScript includes `.tsx`, JavaScript `.jsx`, `.mjs` and `.cjs`. Python type stubs
    /// (`.pyi`) are left out: they hold signatures only, no code worth storing.
    public var fileExtensions: [String] {
        switch self {
        case .python: ["py", "pyw"]
        case .swift: ["swift"]
        case .javascript: ["js", "jsx", "mjs", "cjs"]
        case .typescript: ["ts", "tsx", "mts", "cts"]
        case .go: ["go"]
        case .rust: ["rs"]
        case .java: ["java"]
        }
    }

    /// The language of a file, from its name's extension; `nil` when no language claims it.
    ///
    /// Only the last extension counts, compared case-insensitively: `a/b/Model.SWIFT` is Swift,
    /// `README.md` and `Makefile` are nothing.
    ///
    /// - Parameter path: A file path or bare file name.
    public init?(path: String) {
        let bytes = path.utf8
        let nameStart = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes.index(after: $0) } ?? bytes.startIndex
        let name = bytes[nameStart...]
        // A leading dot names a hidden file (`.swift`), not an extension.
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return nil }
        let ext = String(decoding: name[name.index(after: dot)...], as: UTF8.self).lowercased()
        guard let language = SourceLanguage.byExtension[ext] else { return nil }
        self = language
    }

    private static let byExtension: [String: SourceLanguage] = {
        var table: [String: SourceLanguage] = [:]
        for language in SourceLanguage.allCases {
            for ext in language.fileExtensions { table[ext] = language }
        }
        return table
    }()
}
