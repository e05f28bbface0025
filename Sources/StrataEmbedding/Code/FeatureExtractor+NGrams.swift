import StrataText

extension FeatureExtractor {
    /// Emits the structural n-grams (2–4) and the data-flow n-grams (2–3, only windows that
    /// hold an identifier) of the symbol streams.
    static func emitNGrams(_ scratch: FeatureScratch) {
        let count = scratch.plain.count
        guard count >= 2 else { return }
        scratch.plain.withUnsafeBufferPointer { plain in
            scratch.references.withUnsafeBufferPointer { references in
                scratch.isIdentifier.withUnsafeBufferPointer { isIdentifier in
                    var plain2: UInt64 = 0, plain3: UInt64 = 0
                    var reference2: UInt64 = 0
                    var lastIdentifier = isIdentifier[0] ? 0 : -10
                    for i in 1..<count {
                        if isIdentifier[i] { lastIdentifier = i }
                        let p4 = i >= 3 ? StableHash.combine(plain3, plain[i]) : 0
                        let p3 = i >= 2 ? StableHash.combine(plain2, plain[i]) : 0
                        let p2 = StableHash.combine(plain[i - 1], plain[i])
                        scratch.features.append(tagged(p2 ^ structureSeeds[2], .structure))
                        if i >= 2 { scratch.features.append(tagged(p3 ^ structureSeeds[3], .structure)) }
                        if i >= 3 { scratch.features.append(tagged(p4 ^ structureSeeds[4], .structure)) }
                        plain2 = p2
                        plain3 = p3

                        let r3 = i >= 2 ? StableHash.combine(reference2, references[i]) : 0
                        let r2 = StableHash.combine(references[i - 1], references[i])
                        if lastIdentifier >= i - 1 { scratch.features.append(tagged(r2 ^ dataFlowSeeds[2], .dataFlow)) }
                        if i >= 2, lastIdentifier >= i - 2 { scratch.features.append(tagged(r3 ^ dataFlowSeeds[3], .dataFlow)) }
                        reference2 = r2
                    }
                }
            }
        }
    }
}
