import Testing
import StrataText

/// Pinned values: these hashes are inside users' stored vectors, so a change here must fail.
@Suite struct StableHashTests {
    @Test func fnv1aMatchesTheReferenceVectors() {
        #expect(StableHash.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.fnv1a("foobar") == 0x8594_4171_f739_67e8)
        var text = "xfoobarx"
        #expect(text.withUTF8 { StableHash.fnv1a($0, 1, 7) } == StableHash.fnv1a("foobar"))
    }

    @Test func mixAndCombineArePinned() {
        #expect(StableHash.mix(0) == 0)
        #expect(StableHash.mix(1) == 0x5692_161d_100b_05e5)
        #expect(StableHash.combine(1, 2) != StableHash.combine(2, 1))
        #expect(StableHash.combine(1, 2) == 0xee89_d4c4_41c1_e64b)
    }
}
