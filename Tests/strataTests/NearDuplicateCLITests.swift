import Foundation
import StrataStore
import Testing

/// Whether an added pattern merges into a near one follows the embedder: the built-in
/// embedder's similarity means the same code, a sentence encoder's or the static one's means
/// alike meaning, which must not merge distinct functions.
@Suite struct NearDuplicateCLITests {
    static func nearDuplicate(_ store: String) throws -> Double? {
        let opened = try PatternStore.open(at: store)
        defer { try? opened.close() }
        return opened.configuration.nearDuplicateSimilarity
    }

    @Test func theDefaultFollowsTheEmbedderAndAChoiceIsKept() throws {
        let directory = NSTemporaryDirectory() + "strata-near-duplicate-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try CLI.run("init", "--store", directory + "/builtin", "--dim", "64").status == 0)
        #expect(try Self.nearDuplicate(directory + "/builtin") == 0.95)
        #expect(try CLI.run("init", "--store", directory + "/static", "--embedder", "static").status == 0)
        #expect(try Self.nearDuplicate(directory + "/static") == nil)
        #expect(try CLI.run("init", "--store", directory + "/chosen", "--embedder", "static", "--near-duplicate", "0.9").status == 0)
        #expect(try Self.nearDuplicate(directory + "/chosen") == 0.9)
        let bad = try CLI.run("init", "--store", directory + "/bad", "--near-duplicate", "most")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("off or auto"))

        // A re-embed carries the embedder's default along, and leaves a chosen value alone.
        let texts = ["def add(a, b):\n    return a + b\n", "def mul(a, b):\n    return a * b\n", "def neg(a):\n    return -a\n"]
        for store in ["builtin", "kept"] {
            if store == "kept" {
                #expect(try CLI.run("init", "--store", directory + "/kept", "--dim", "64", "--near-duplicate", "0.97").status == 0)
            }
            for (index, text) in texts.enumerated() {
                #expect(try CLI.run("add", "--store", directory + "/" + store, "--id", "f\(index)", "--text", text).status == 0)
            }
            #expect(try CLI.run("reembed", "--store", directory + "/" + store, "--embedder", "static").status == 0)
        }
        #expect(try Self.nearDuplicate(directory + "/builtin") == nil)
        #expect(try Self.nearDuplicate(directory + "/kept") == 0.97)
        #expect(try CLI.run("reembed", "--store", directory + "/builtin", "--embedder", "builtin", "--dim", "64").status == 0)
        #expect(try Self.nearDuplicate(directory + "/builtin") == 0.95)
    }
}
