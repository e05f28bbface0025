import StrataStore

/// `"kind name lineStart-lineEnd"` per unit, the shape the splitter tests compare.
func outline(_ text: String, _ language: SourceLanguage, minimumLines: Int = 1) -> [String] {
    SourceSplitter.units(in: text, path: "snippet", language: language, options: .init(minimumLines: minimumLines))
        .map { "\($0.kind.rawValue) \($0.name) \($0.lineStart)-\($0.lineEnd)" }
}

/// Checks the invariants every unit must meet, returning a description of the first broken.
func invariantViolation(_ units: [SourceUnit], lineCount: Int) -> String? {
    for unit in units {
        let lastComponent = unit.name.split(separator: ".").last.map(String.init) ?? unit.name
        // Split bytes, not Characters: "\r\n" is one Character.
        let lines = unit.text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        let declarationIndex = unit.declarationLine - unit.lineStart
        guard unit.lineStart >= 1, unit.lineStart <= unit.declarationLine, unit.declarationLine <= unit.lineEnd,
              unit.lineEnd <= lineCount
        else { return "\(unit.path): \(unit.name) has lines \(unit.lineStart)/\(unit.declarationLine)/\(unit.lineEnd) of \(lineCount)" }
        guard !unit.text.isEmpty, !unit.name.isEmpty, declarationIndex < lines.count,
              lines[declarationIndex].contains(lastComponent)
        else { return "\(unit.path):\(unit.declarationLine): \(unit.name) not on its declaration line" }
        guard unit.isTruncated || lines.count == unit.lineCount
        else { return "\(unit.path): \(unit.name) text has \(lines.count) lines, span \(unit.lineCount)" }
    }
    return nil
}
