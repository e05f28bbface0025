import Foundation
import StrataIndex

/// What a re-embed did.
public struct ReembedReport: Sendable, Equatable, Codable {
    public var patterns: Int
    public var from: String
    public var to: String
    public var dimension: Int
    public var seconds: Double
}

extension PatternStore {
    /// Catalog blob key of a corpus-fitted embedder's state.
    static let embedderStateKey = "embedder_state"

    /// The smallest first batch an unfitted corpus-fitted embedder is fitted on.
    static let minimumFittingCorpus = 64

    /// Switches the store at `directory` to `embedder`: fits it on the store's texts when it
    /// is corpus-fitted, embeds every pattern, writes all vectors into one new cold segment,
    /// and in one transaction points every pattern at it and records the new space in the
    /// manifest. Until that commit the store is unchanged; a crash leaves an orphan segment
    /// that the next open removes.
    public static func reembed(at directory: String, embedder: any Embedder, settings: EmbedderSettings) throws(StoreError) -> ReembedReport {
        let started = Date()
        let store = try PatternStore.open(at: directory, resolvingEmbedder: false)
        let report = try store.write { () throws(StoreError) -> ReembedReport in
            let previous = store.space
            let corpus = try store.writer.texts()
            var embedder = embedder
            var state: [UInt8]?
            if let fittable = embedder as? any CorpusFittedEmbedder, !corpus.isEmpty {
                let fitted = try fittable.fitted(on: corpus.map(\.1))
                state = fitted.serializedState()
                embedder = fitted
            }
            var configuration = store.configuration
            configuration.dimension = embedder.dimension
            try configuration.validate()
            var written: WrittenSegment?
            if !corpus.isEmpty {
                var vectors: [Float] = []
                vectors.reserveCapacity(corpus.count * embedder.dimension)
                let chunk = 4_096
                for start in stride(from: 0, to: corpus.count, by: chunk) {
                    let texts = corpus[start..<min(start + chunk, corpus.count)].map(\.1)
                    let embedded = try embedder.embed(Array(texts))
                    guard embedded.count == texts.count * embedder.dimension else {
                        throw .embedder(problem: "returned \(embedded.count) floats for \(texts.count) texts of dimension \(embedder.dimension)")
                    }
                    vectors += embedded
                }
                let graph = try makeGraph(configuration)
                let ids = corpus.map(\.0)
                do throws(IndexError) {
                    try graph.insert(contentsOf: vectors, ids: ids, threads: configuration.threads)
                } catch {
                    throw .index(error)
                }
                written = try store.writeSegment(graph)
            }
            let oldSegments = try store.writer.segments()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try store.writer.transaction { () throws(StoreError) in
                try store.writer.removeAllVectorLocations()
                // Other replicas of a shared store reopen both tiers.
                store.writer.noteReload()
                if let written {
                    let id = try store.writer.insertSegment(file: written.file, slots: written.segment.slotCount, bytes: written.segment.fileBytes)
                    for (row, _) in corpus { try store.writer.markCold(row: Int64(row), segment: id, slot: written.slots[Int64(row)]!) }
                }
                try store.writer.setManifestValue("embedder", embedder.identifier)
                try store.writer.setManifestValue("embedder_settings", String(decoding: (try? encoder.encode(settings)) ?? Data(), as: UTF8.self))
                try store.writer.setManifestValue("dimension", "\(embedder.dimension)")
                try store.writer.setManifestValue("configuration", String(decoding: (try? encoder.encode(configuration)) ?? Data(), as: UTF8.self))
                if let state {
                    try store.writer.setBlob(embedderStateKey, state)
                } else {
                    try store.writer.removeBlob(embedderStateKey)
                }
                try store.writer.log("reembed", "\(corpus.count) pattern(s) from \(previous) to \(embedder.identifier), \(embedder.dimension) dimensions")
            }
            StoreFolder(path: directory).removeSegments(oldSegments.map(\.file))
            return ReembedReport(patterns: corpus.count, from: previous.embedder, to: embedder.identifier, dimension: embedder.dimension, seconds: 0)
        }
        store.closeWithoutFlush()
        var final = report
        final.seconds = Date().timeIntervalSince(started)
        return final
    }

    /// Fits an unfitted corpus-fitted embedder on the first large batch added to an empty
    /// store, and keeps its state in the catalog.
    func fitEmbedderIfNeeded(on texts: [String]) throws(StoreError) {
        guard texts.count >= Self.minimumFittingCorpus,
              let embedder = try? requireEmbedder(), let fittable = embedder as? any CorpusFittedEmbedder, !fittable.isFitted
        else { return }
        try write { () throws(StoreError) in
            // One immediate transaction: the count and the write see the same snapshot even
            // when another connection (the analytics tracker) wrote to the catalog meanwhile.
            let fitted = try writer.transaction { () throws(StoreError) -> (any Embedder)? in
                guard try writer.count(matching: PatternFilter()) == 0 else { return nil }
                let fitted = try fittable.fitted(on: texts)
                try writer.setBlob(Self.embedderStateKey, fitted.serializedState())
                return fitted
            }
            guard let fitted else { return }
            replaceEmbedder(fitted)
            logger.info("fitted the embedder on the first batch", metadata: ["texts": "\(texts.count)"])
        }
    }
}
