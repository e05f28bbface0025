import Testing
import StrataText

@Suite struct WordKeyTests {
    @Test func spellingsOfOneWordShareAKey() {
        #expect(WordKey.hash("files") == WordKey.hash("file"))
        #expect(WordKey.hash("FILES") == WordKey.hash("File"))
        #expect(WordKey.hash("Producers") == WordKey.hash("producer"))
    }

    @Test func thePluralRuleIsCrudeOnPurpose() {
        // A double s and short words keep theirs; any other final s goes.
        #expect(WordKey.hash("class") == StableHash.fnv1a("class"))
        #expect(WordKey.hash("process") == StableHash.fnv1a("process"))
        #expect(WordKey.hash("bus") == StableHash.fnv1a("bus"))
        #expect(WordKey.hash("status") == StableHash.fnv1a("statu"))
        #expect(WordKey.hash("") == StableHash.fnvOffset)
    }
}
