import Testing
import StrataText

@Suite struct PythonScannerTests {
    static func events(_ text: String) -> [PythonScanner.Event] {
        var scanner = PythonScanner(text)
        var events: [PythonScanner.Event] = []
        while let event = scanner.next() { events.append(event) }
        return events
    }

    static func line(_ line: Int, _ offset: Int, continues: Bool = false, indent: Int = 0, content: Int? = nil) -> PythonScanner.Event {
        .lineStart(.init(line: line, offset: offset, isContinuation: continues, indent: indent, contentStart: content ?? offset))
    }

    static func token(_ kind: PythonToken.Kind, _ start: Int, _ end: Int, _ line: Int, _ column: Int) -> PythonScanner.Event {
        .token(.init(kind: kind, start: start, end: end, line: line, column: column))
    }

    @Test func aBackslashJoinContinuesTheLine() {
        #expect(Self.events("if a:\\\n  b = 'x'\n") == [
            Self.line(1, 0),
            Self.token(.name, 0, 2, 1, 0), Self.token(.name, 3, 4, 1, 3), Self.token(.op, 4, 5, 1, 4),
            Self.line(2, 7, continues: true),
            Self.token(.name, 9, 10, 2, 2), Self.token(.op, 11, 12, 2, 4), Self.token(.string, 13, 16, 2, 6),
        ])
    }

    @Test func aStringIsReportedBeforeTheLinesInsideIt() {
        #expect(Self.events("s = \"\"\"a\nb\"\"\"\n  t  # c\n") == [
            Self.line(1, 0),
            Self.token(.name, 0, 1, 1, 0), Self.token(.op, 2, 3, 1, 2), Self.token(.string, 4, 13, 1, 4),
            Self.line(2, 9, continues: true),
            Self.line(3, 14, indent: 2, content: 16),
            Self.token(.name, 16, 17, 3, 2), Self.token(.comment, 19, 22, 3, 5),
        ])
    }

    @Test func prefixesAndBrackets() {
        let events = Self.events("f(rb'x',\n  Fr\"{y}\", bu'z', ab'w')\n")
        let tokens = events.compactMap { event -> String? in
            guard case let .token(token) = event else { return nil }
            return "\(token.kind):\(token.start)-\(token.end)"
        }
        // `ab` is no prefix: a name, then a string.
        #expect(tokens == ["name:0-1", "op:1-2", "string:2-7", "op:7-8", "string:11-18", "op:18-19", "string:20-25",
                           "op:25-26", "name:27-29", "string:29-32", "op:32-33"])
        #expect(events.contains(Self.line(2, 9, continues: true)))
        var text = "rb'x' Ur'y' bb\"z\" rbu'w'"
        let prefixes = text.withUTF8 { bytes in
            [(0, 2), (6, 8), (12, 14), (18, 21)].map { PythonScanner.isStringPrefix(bytes, from: $0.0, to: $0.1) }
        }
        #expect(prefixes == [true, true, true, false])
    }

    @Test func emptyText() {
        #expect(Self.events("") == [Self.line(1, 0)])
        #expect(Self.events("\n") == [Self.line(1, 0)])
    }
}
