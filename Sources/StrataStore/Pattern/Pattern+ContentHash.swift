import Crypto
import Foundation

extension Pattern {
    /// SHA-256 (lower-case hex) of `text` after ``normalizedForHash(_:)``.
    public static func contentHash(of text: String) -> String {
        let digest = SHA256.hash(data: Data(normalizedForHash(text).utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The text exact dedup compares: line endings unified, trailing white space and blank
    /// lines dropped. Indentation is kept, since in Python it is meaning.
    public static func normalizedForHash(_ text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var end = line.endIndex
            while end > line.startIndex, line[line.index(before: end)].isWhitespace { end = line.index(before: end) }
            if end > line.startIndex { lines.append(line[..<end]) }
        }
        return lines.joined(separator: "\n")
    }
}
