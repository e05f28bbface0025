import Testing
import StrataText

@Suite struct IdentifierWordsTests {
    static func words(_ text: String, minimumLength: Int = 3) -> [String] {
        var out: [String] = []
        IdentifierWords(minimumLength: minimumLength).forEachWord(in: text) { _, word in out.append(String(decoding: word, as: UTF8.self)) }
        return out
    }

    @Test func identifiersSplitAtCaseUnderscoresAndDigitsWithoutKeywords() {
        #expect(Self.words("def parseJSONResponse(self, http_client):\n    return None") == ["parse", "json", "response", "http", "client"])
        #expect(Self.words("utf8Encoder = db.HTTPServer(id)") == ["utf", "encoder", "http", "server"])
        #expect(Self.words("utf8Encoder = db.HTTPServer(id)", minimumLength: 2) == ["utf", "encoder", "db", "http", "server", "id"])
    }

    @Test func pluralAndSingularShareAKeyAndKeepTheirSpelling() {
        var keys: [String: UInt64] = [:]
        IdentifierWords().forEachWord(in: "producers Producer STATUS") { key, word in keys[String(decoding: word, as: UTF8.self)] = key }
        #expect(keys["producers"] == keys["producer"] && keys["producer"] == WordKey.hash("producer"))
        #expect(keys["status"] == WordKey.hash("status"))
        #expect(keys.count == 3)
    }

    @Test func whatIsLeftOut() {
        // Numbers, stop words, keywords (`None` as written; `none` is a word), short and
        // over-long runs.
        #expect(Self.words("cp437 2024 the which into", minimumLength: 2) == ["cp"])
        #expect(Self.words("None none Nones self Self") == ["none", "nones"])
        #expect(Self.words(String(repeating: "a", count: 64) + " " + String(repeating: "b", count: 65)) == [String(repeating: "a", count: 64)])
        #expect(Self.words("").isEmpty)
        #expect(Self.words("a_b_c x1 y2") .isEmpty)
    }

    @Test func nonASCIIWordsKeepTheirBytes() {
        #expect(Self.words("caféBar ÉtatCivil") == ["cafébar", "État", "civil"])
    }
}
