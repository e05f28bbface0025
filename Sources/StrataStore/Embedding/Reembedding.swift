import Foundation
import StrataIndex

/// A store switched to another embedder: fitted on the store's texts when the embedder is
/// corpus-fitted, every pattern embedded anew into one new cold segment, and in one
/// transaction every pattern pointed at it and the new space written to the manifest. Until
/// that commit the store is unchanged; a crash leaves an orphan segment the next open removes.
enum Reembedding {
    static func run(at directory: String, embedder: any Embedder, settings: EmbedderSettings) throws(StoreError) -> ReembedReport {
        let started = Date()
        let store = try PatternStore.open(at: directory, resolvingEmbedder: false)
        let report = try store.write { () throws(StoreError) -> ReembedReport in
            let previous = store.space
            // Read once: the texts to embed, and with the names the segment's lexical index.
            let corpus = try store.writer.lexicalSources(hotOnly: false)
            var embedder = embedder
            var state: [UInt8]?
            if let fittable = embedder as? any CorpusFittedEmbedder, !corpus.isEmpty {
                let fitted = try embedding { () throws(EmbeddingError) in try fittable.fitted(on: corpus.map(\.text)) }
                state = fitted.serializedState()
                embedder = fitted
            }
            var configuration = store.configuration
            configuration.dimension = embedder.dimension
            // A store that kept its embedder's merge similarity takes the new embedder's.
            if configuration.nearDuplicateSimilarity == store.embedderSettings.defaultNearDuplicateSimilarity {
                configuration.nearDuplicateSimilarity = settings.defaultNearDuplicateSimilarity
            }
            try configuration.validate()
            var written: WrittenSegment?
            if !corpus.isEmpty {
                var vectors: [Float] = []
                vectors.reserveCapacity(corpus.count * embedder.dimension)
                let chunk = 4_096
                for start in stride(from: 0, to: corpus.count, by: chunk) {
                    let texts = corpus[start..<min(start + chunk, corpus.count)].map(\.text)
                    let embedded = try embedding { () throws(EmbeddingError) in try embedder.embed(Array(texts)) }
                    guard embedded.count == texts.count * embedder.dimension else {
                        throw .embedder(problem: "returned \(embedded.count) floats for \(texts.count) texts of dimension \(embedder.dimension)")
                    }
                    vectors += embedded
                }
                written = try store.folder.writeOpenedSegment(
                    try configuration.makeGraph(holding: vectors, ids: corpus.map { UInt64($0.row) }),
                    documents: LexicalDocument.documents(of: corpus))
            }
            let oldSegments = try store.writer.segments()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try store.writer.transaction { () throws(StoreError) in
                try store.writer.removeAllVectorLocations()
                // Other replicas of a shared store reopen both tiers.
                store.writer.noteReload()
                store.writer.noteAudit(AuditEvent(
                    action: "store.reembed", subject: "\(corpus.count) patterns: \(previous.embedder) → \(embedder.identifier)",
                    before: AuditTrail.digest(previous.description), after: AuditTrail.digest("\(embedder.identifier), \(embedder.dimension) dimensions")))
                if let written {
                    let id = try store.writer.insertSegment(file: written.file, slots: written.segment.slotCount, bytes: written.segment.fileBytes)
                    for source in corpus { try store.writer.markCold(row: source.row, segment: id, slot: written.slots[source.row]!) }
                }
                try store.writer.setManifestValue("embedder", embedder.identifier)
                try store.writer.setManifestValue("embedder_settings", String(decoding: (try? encoder.encode(settings)) ?? Data(), as: UTF8.self))
                try store.writer.setManifestValue("dimension", "\(embedder.dimension)")
                try store.writer.setManifestValue("configuration", String(decoding: (try? encoder.encode(configuration)) ?? Data(), as: UTF8.self))
                if let state {
                    try store.writer.setBlob(PatternStore.embedderStateKey, state)
                } else {
                    try store.writer.removeBlob(PatternStore.embedderStateKey)
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
}
