/// Character classes of single UTF-8 bytes, for the scanners that read text without decoding
/// it.
///
/// Only ASCII has classes of its own. Every byte of a multi-byte sequence (`0x80...0xFF`) counts
/// as a letter with no case: identifiers may be non-ASCII in every language Strata reads, and
/// deciding case would mean decoding, which the hot paths never do. ``WordSplitter`` explains
/// what that means for splitting.
///
/// The predicates compile to one subtraction and one comparison (`c &- 48 < 10`) and are
/// `@inlinable`, so a loop in another module pays no call per byte.
@frozen
public enum ByteClass {
    /// `0`–`9`.
    @inlinable @inline(__always)
    public static func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }

    /// `A`–`Z`.
    @inlinable @inline(__always)
    public static func isUpper(_ c: UInt8) -> Bool { c &- 65 < 26 }

    /// `a`–`z`.
    @inlinable @inline(__always)
    public static func isLower(_ c: UInt8) -> Bool { c &- 97 < 26 }

    /// A byte of a word: an ASCII letter or digit, or any byte of a multi-byte character.
    /// `_`, `$` and punctuation separate words.
    @inlinable @inline(__always)
    public static func isWordByte(_ c: UInt8) -> Bool {
        isLower(c) || isUpper(c) || isDigit(c) || c >= 0x80
    }

    /// A byte that may start a name in Python and the C family: an ASCII letter, `_`, or any
    /// byte of a multi-byte character.
    @inlinable @inline(__always)
    public static func isNameStart(_ c: UInt8) -> Bool {
        isLower(c) || isUpper(c) || c == 95 || c >= 0x80
    }

    /// A byte that may continue a name: ``isNameStart(_:)`` or a digit.
    @inlinable @inline(__always)
    public static func isNameByte(_ c: UInt8) -> Bool {
        isNameStart(c) || isDigit(c)
    }

    /// `c` lower-cased if it is `A`–`Z`, else `c` unchanged (multi-byte characters keep their
    /// case).
    @inlinable @inline(__always)
    public static func lowered(_ c: UInt8) -> UInt8 { isUpper(c) ? c | 0x20 : c }
}
