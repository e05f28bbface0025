import Foundation
import StrataKernels
import StrataStore
import StrataTestSupport
import Testing

/// Damaged store inputs and files (``FileMutation``): a JSONL import and its `.fvecs`, and the
/// catalog itself. No crash, no hang; an import that fails names the file and loses nothing
/// already stored; a damaged catalog is refused at open or answers without crashing.
@Suite struct StoreFileFuzzTests {
    @Test func damagedImportsAreRefusedNamingTheFileAndLoseNothing() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 30, dimension: 16, seed: 5)
        let source = try makeVectorStore(directory + "/source", dimension: 16)
        try source.add(samplePatterns(vectors))
        let jsonl = directory + "/out.jsonl", fvecs = directory + "/out.fvecs"
        #expect(try source.exportJSONL(to: jsonl, vectorsPath: fvecs) == 30)
        try source.close()

        let target = try makeVectorStore(directory + "/target", dimension: 16)
        try target.add(samplePatterns(Array(vectors.prefix(5)), prefix: "kept"))
        let seed = FileMutation.seed(default: 20)
        var random = SeededRandom(seed: seed)
        for (original, isVectors) in [(jsonl, false), (fvecs, true)] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: original)))
            let path = original + ".fuzzed"
            for trial in 0..<FileMutation.count(default: 100) {
                let (mutated, what) = FileMutation.apply(to: bytes, using: &random)
                try Data(mutated).write(to: URL(fileURLWithPath: path))
                do {
                    _ = try target.importJSONL(path: isVectors ? jsonl : path, vectorsPath: isVectors ? path : fvecs)
                } catch {
                    #expect("\(error)".contains(path), "trial \(trial) (seed \(seed)), \(what): \(error)")
                }
                for id in ["kept0", "kept4"] { #expect(try target.pattern(id: id).id == id, "trial \(trial): \(id) lost after \(what)") }
            }
        }
        try target.close()
    }

    @Test func aDamagedCatalogIsRefusedOrStillAnswers() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 40, dimension: 16, seed: 6)
        let store = try makeVectorStore(directory + "/store", dimension: 16)
        try store.add(samplePatterns(vectors))
        try store.close()
        let catalog = directory + "/store/catalog.sqlite"
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: catalog)))
        let seed = FileMutation.seed(default: 21)
        var random = SeededRandom(seed: seed)
        var refused = 0
        for trial in 0..<FileMutation.count(default: 40) {
            let copy = directory + "/copy-\(trial)"
            try FileManager.default.copyItem(atPath: directory + "/store", toPath: copy)
            defer { cleanup(copy) }
            let (mutated, what) = FileMutation.apply(to: bytes, using: &random)
            try Data(mutated).write(to: URL(fileURLWithPath: copy + "/catalog.sqlite"))
            do {
                let opened = try PatternStore.open(at: copy)
                _ = try? opened.search(SearchRequest(query: .vector(vectors[0]), k: 5))
                _ = try? opened.count()
                try? opened.close()
            } catch {
                refused += 1
                #expect(!"\(error)".isEmpty, "trial \(trial) (seed \(seed)), \(what)")
            }
        }
        #expect(refused > 0, "no damaged catalog was refused (seed \(seed))")
    }
}

extension StoreFileFuzzTests {
    /// Found by the catalog fuzz: a negative schema version in the SQLite header (bytes
    /// 60..<64, `user_version`) made the migration index its steps out of range.
    @Test func aNegativeSchemaVersionIsADamagedCatalog() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        try makeVectorStore(directory, dimension: 16).close()
        let catalog = directory + "/catalog.sqlite"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: catalog)))
        bytes.replaceSubrange(60..<64, with: [0xFF, 0xFF, 0xFF, 0xFB])
        try Data(bytes).write(to: URL(fileURLWithPath: catalog))
        do {
            _ = try PatternStore.open(at: directory)
            Issue.record("a catalog at schema version -5 opened")
        } catch {
            #expect("\(error)".contains("schema version -5, which no build writes: the catalog is damaged"), "\(error)")
        }
    }
}
