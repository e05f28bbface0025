import Testing
import StrataText

@Suite struct ByteClassTests {
    @Test func asciiClassesMatchTheCharacterProperties() {
        for byte in UInt8(0)...UInt8(0x7F) {
            let character = Character(Unicode.Scalar(byte))
            #expect(ByteClass.isDigit(byte) == character.isWholeNumber, "\(byte)")
            #expect(ByteClass.isUpper(byte) == (character.isLetter && character.isUppercase), "\(byte)")
            #expect(ByteClass.isLower(byte) == (character.isLetter && character.isLowercase), "\(byte)")
            #expect(ByteClass.isWordByte(byte) == (character.isLetter || character.isWholeNumber), "\(byte)")
            #expect(ByteClass.isNameStart(byte) == (character.isLetter || character == "_"), "\(byte)")
            #expect(ByteClass.lowered(byte) == character.lowercased().utf8.first, "\(byte)")
        }
    }

    @Test func multiByteCharactersAreCaselessLetters() {
        for byte in UInt8(0x80)...UInt8(0xFF) {
            #expect(ByteClass.isWordByte(byte) && ByteClass.isNameStart(byte) && ByteClass.isNameByte(byte))
            #expect(!ByteClass.isUpper(byte) && !ByteClass.isLower(byte) && !ByteClass.isDigit(byte))
            #expect(ByteClass.lowered(byte) == byte)
        }
        #expect(!ByteClass.isWordByte(UInt8(ascii: "_")) && !ByteClass.isNameStart(UInt8(ascii: "$")))
    }
}
