import CStrataShims

/// A BERT encoder's weights, read once from safetensors into float32 arrays laid out for the
/// forward pass.
///
/// Linear layers keep PyTorch's `[out × in]` layout (multiplied transposed by sgemm); the
/// query, key and value projections are concatenated into one `[3·hidden × hidden]` matrix so
/// a layer's three projections are one product. With bfloat16 precision each linear weight is
/// also packed for `strata_enc_gemm_bf16`.
///
/// - Important: Immutable after `init`; shared by every thread running the encoder.
final class BertWeights: Sendable {
    /// A linear layer `y = x · Wᵀ + b`.
    struct Linear: Sendable {
        /// `[outputs × inputs]`, row-major.
        let weight: [Float]
        let bias: [Float]
        let outputs: Int
        let inputs: Int
        /// `weight` packed for the bfloat16 kernel, when that precision is in use.
        let packed: [UInt16]?

        init(weight: [Float], bias: [Float], outputs: Int, inputs: Int, packBF16: Bool) {
            self.weight = weight
            self.bias = bias
            self.outputs = outputs
            self.inputs = inputs
            if packBF16 {
                let count = strata_enc_packed_bf16_count(outputs, inputs)
                packed = [UInt16](unsafeUninitializedCapacity: count) { buffer, initialized in
                    strata_enc_pack_bf16(weight, outputs, inputs, buffer.baseAddress!)
                    initialized = count
                }
            } else {
                packed = nil
            }
        }
    }

    /// LayerNorm's scale and shift.
    struct Norm: Sendable {
        let gamma: [Float]
        let beta: [Float]
    }

    struct Layer: Sendable {
        let qkv: Linear
        let attentionOutput: Linear
        let attentionNorm: Norm
        let intermediate: Linear
        let output: Linear
        let outputNorm: Norm
    }

    let architecture: BertArchitecture
    /// `[vocabulary × hidden]`.
    let wordEmbeddings: [Float]
    /// `[positions × hidden]`, with token type 0's embedding already added to every row.
    let positionEmbeddings: [Float]
    let embeddingNorm: Norm
    let layers: [Layer]

    /// Reads every tensor the encoder needs, checking each shape against `architecture`.
    ///
    /// - Throws: `EmbeddingError.modelInvalid` naming the first tensor that is missing or of
    ///   the wrong shape.
    init(file: SafeTensors, architecture a: BertArchitecture, packBF16: Bool) throws(EmbeddingError) {
        architecture = a
        let h = a.hiddenSize
        let prefix = file.entries["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func tensor(_ name: String, _ shape: [Int]) throws(EmbeddingError) -> [Float] {
            try file.floats(prefix + name, shape: shape)
        }
        func norm(_ name: String) throws(EmbeddingError) -> Norm {
            Norm(gamma: try tensor(name + ".weight", [h]), beta: try tensor(name + ".bias", [h]))
        }
        func linear(_ name: String, _ outputs: Int, _ inputs: Int, pack: Bool = packBF16) throws(EmbeddingError) -> Linear {
            Linear(weight: try tensor(name + ".weight", [outputs, inputs]), bias: try tensor(name + ".bias", [outputs]),
                   outputs: outputs, inputs: inputs, packBF16: pack)
        }
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [a.vocabularySize, h])
        var positions = try tensor("embeddings.position_embeddings.weight", [a.maxPositions, h])
        let types = try tensor("embeddings.token_type_embeddings.weight", [a.tokenTypes, h])
        for row in 0..<a.maxPositions {
            for i in 0..<h { positions[row * h + i] += types[i] }
        }
        positionEmbeddings = positions
        embeddingNorm = try norm("embeddings.LayerNorm")
        var layers: [Layer] = []
        for index in 0..<a.layers {
            let base = "encoder.layer.\(index)."
            let q = try linear(base + "attention.self.query", h, h, pack: false)
            let k = try linear(base + "attention.self.key", h, h, pack: false)
            let v = try linear(base + "attention.self.value", h, h, pack: false)
            layers.append(Layer(
                qkv: Linear(weight: q.weight + k.weight + v.weight, bias: q.bias + k.bias + v.bias,
                            outputs: 3 * h, inputs: h, packBF16: packBF16),
                attentionOutput: try linear(base + "attention.output.dense", h, h),
                attentionNorm: try norm(base + "attention.output.LayerNorm"),
                intermediate: try linear(base + "intermediate.dense", a.intermediateSize, h),
                output: try linear(base + "output.dense", h, a.intermediateSize),
                outputNorm: try norm(base + "output.LayerNorm")
            ))
        }
        self.layers = layers
    }
}
