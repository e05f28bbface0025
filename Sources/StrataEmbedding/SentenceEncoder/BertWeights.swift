import CStrataShims

/// A BERT encoder's weights, read once from safetensors into float32 arrays laid out for the
/// forward pass.
///
/// Linear layers keep PyTorch's `[out × in]` layout (multiplied transposed by sgemm); the
/// query, key and value projections are concatenated into one `[3·hidden × hidden]` matrix so
/// a layer's three projections are one product. Each linear weight is stored for the kernel
/// chosen at load time: pre-packed panels for the AVX-512 float32 or bfloat16 kernels, or as is
/// for OpenBLAS.
///
/// - Important: Immutable after `init`; shared by every thread running the encoder.
final class BertWeights: Sendable {
    /// A linear layer `y = x · Wᵀ + b`, its weight in the form the chosen kernel reads.
    struct Linear: Sendable {
        /// How the weight is stored.
        enum Storage: Sendable {
            /// PyTorch's `[outputs × inputs]`, row-major, for `cblas_sgemm` (CPUs without AVX-512).
            case rows([Float])
            /// Panels for `strata_enc_gemm_f32`.
            case float32Panels([Float])
            /// Panels for `strata_enc_gemm_bf16`.
            case bfloat16Panels([UInt16])
        }

        let storage: Storage
        let bias: [Float]
        let outputs: Int
        let inputs: Int

        init(weight: [Float], bias: [Float], outputs: Int, inputs: Int, kernel: Kernel) {
            self.bias = bias
            self.outputs = outputs
            self.inputs = inputs
            switch kernel {
            case .blas:
                storage = .rows(weight)
            case .float32:
                let count = strata_enc_packed_f32_count(outputs, inputs)
                storage = .float32Panels([Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    strata_enc_pack_f32(weight, outputs, inputs, buffer.baseAddress!)
                    initialized = count
                })
            case .bfloat16:
                let count = strata_enc_packed_bf16_count(outputs, inputs)
                storage = .bfloat16Panels([UInt16](unsafeUninitializedCapacity: count) { buffer, initialized in
                    strata_enc_pack_bf16(weight, outputs, inputs, buffer.baseAddress!)
                    initialized = count
                })
            }
        }
    }

    /// Which matrix kernel the linear layers run on.
    enum Kernel: Sendable {
        /// OpenBLAS sgemm on the weights as stored (portable).
        case blas
        /// The AVX-512 float32 kernel on pre-packed panels (no per-call packing).
        case float32
        /// The AVX512_BF16 kernel.
        case bfloat16

        /// The kernel for `precision` on this CPU.
        static func best(for precision: SentenceEncoder.Precision) -> Kernel {
            let level = strata_enc_cpu_level()
            if precision == .bfloat16 && level >= 2 { return .bfloat16 }
            return level >= 1 ? .float32 : .blas
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
    /// The kernel the linear layers' weights are stored for.
    let kernel: Kernel
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
    init(file: SafeTensors, architecture a: BertArchitecture, kernel: Kernel) throws(EmbeddingError) {
        architecture = a
        self.kernel = kernel
        let h = a.hiddenSize
        let prefix = file.entries["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func tensor(_ name: String, _ shape: [Int]) throws(EmbeddingError) -> [Float] {
            try file.floats(prefix + name, shape: shape)
        }
        func norm(_ name: String) throws(EmbeddingError) -> Norm {
            Norm(gamma: try tensor(name + ".weight", [h]), beta: try tensor(name + ".bias", [h]))
        }
        func linear(_ name: String, _ outputs: Int, _ inputs: Int, kernel: Kernel = kernel) throws(EmbeddingError) -> Linear {
            Linear(weight: try tensor(name + ".weight", [outputs, inputs]), bias: try tensor(name + ".bias", [outputs]),
                   outputs: outputs, inputs: inputs, kernel: kernel)
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
            let q = try linear(base + "attention.self.query", h, h, kernel: .blas)
            let k = try linear(base + "attention.self.key", h, h, kernel: .blas)
            let v = try linear(base + "attention.self.value", h, h, kernel: .blas)
            guard case let .rows(wq) = q.storage, case let .rows(wk) = k.storage, case let .rows(wv) = v.storage else { continue }
            layers.append(Layer(
                qkv: Linear(weight: wq + wk + wv, bias: q.bias + k.bias + v.bias, outputs: 3 * h, inputs: h, kernel: kernel),
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
