import Crypto
import Foundation

extension Pattern {
    /// SHA-256 (lower-case hex) of `text` after ``normalizedForHash(_:)``.
    public static func contentHash(of text: String) -> String {
        let digest = SHA256.hash(data: normalizedBytes(text))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The text exact dedup compares: line endings unified, trailing white space (ASCII)
    /// and blank lines dropped. Indentation is kept, since in Python it is meaning.
    public static func normalizedForHash(_ text: String) -> String {
        String(decoding: normalizedBytes(text), as: UTF8.self)
    }

    /// ``normalizedForHash(_:)`` on the UTF-8 bytes: it runs once per added pattern.
    static func normalizedBytes(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        var text = text
        text.withUTF8 { bytes in
            output.reserveCapacity(bytes.count)
            var lineStart = 0
            var index = 0
            func emit(_ end: Int) {
                var last = end
                while last > lineStart, [32, 9, 11, 12].contains(bytes[last - 1]) { last -= 1 }
                guard last > lineStart else { return }
                if !output.isEmpty { output.append(10) }
                output.append(contentsOf: bytes[lineStart..<last])
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 10 || byte == 13 {
                    emit(index)
                    if byte == 13, index + 1 < bytes.count, bytes[index + 1] == 10 { index += 1 }
                    lineStart = index + 1
                }
                index += 1
            }
            emit(bytes.count)
        }
        return output
    }
}
