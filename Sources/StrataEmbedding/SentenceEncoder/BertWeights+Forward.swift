import CLinearAlgebra
import CStrataShims
import StrataKernels

extension BertWeights {
    /// Runs the encoder over a batch of token sequences and writes each one's mean-pooled,
    /// unit-length vector to `output` (`sequences.count × hidden`, row-major).
    ///
    /// - Parameters:
    ///   - sequences: Token ids, `[CLS]` … `[SEP]`, each at most `maxPositions` long and not empty.
    ///   - workspace: The calling thread's scratch.
    ///   - output: Room for `sequences.count × hidden` floats.
    func encode(_ sequences: ArraySlice<[Int32]>, workspace: EncoderWorkspace, output: UnsafeMutablePointer<Float>) {
        BLAS.ensureConfigured()
        let h = architecture.hiddenSize
        var offsets: [Int] = [0]
        for sequence in sequences { offsets.append(offsets.last! + sequence.count) }
        let tokens = offsets.last!
        let longest = sequences.map(\.count).max() ?? 0
        guard tokens > 0 else { return }
        workspace.reserve(tokens: tokens, longest: longest)

        embed(sequences, into: workspace.hidden)
        for layer in layers {
            attentionBlock(layer, offsets: offsets, workspace: workspace)
            feedForwardBlock(layer, tokens: tokens, workspace: workspace)
        }
        for index in 0..<(offsets.count - 1) {
            pool(workspace.hidden + offsets[index] * h, rows: offsets[index + 1] - offsets[index], into: output + index * h)
        }
    }

    /// Word + position + token-type embeddings, then LayerNorm.
    private func embed(_ sequences: ArraySlice<[Int32]>, into hidden: UnsafeMutablePointer<Float>) {
        let h = architecture.hiddenSize
        var row = 0
        wordEmbeddings.withUnsafeBufferPointer { words in
            positionEmbeddings.withUnsafeBufferPointer { positions in
                for sequence in sequences {
                    for (position, id) in sequence.enumerated() {
                        // Ids were checked against the vocabulary size by the caller.
                        let word = words.baseAddress! + Int(id) * h
                        let place = positions.baseAddress! + position * h
                        let out = hidden + row * h
                        for i in 0..<h { out[i] = word[i] + place[i] }
                        row += 1
                    }
                }
            }
        }
        strata_enc_layernorm(hidden, embeddingNorm.gamma, embeddingNorm.beta, row, h, architecture.layerNormEpsilon)
    }

    /// `hidden = LayerNorm(hidden + attention(hidden) · Woᵀ + bo)`.
    private func attentionBlock(_ layer: Layer, offsets: [Int], workspace w: EncoderWorkspace) {
        let h = architecture.hiddenSize, d = architecture.headSize, tokens = offsets.last!
        strata_enc_rows_plus(w.qkv, nil, layer.qkv.bias, tokens, 3 * h)
        multiply(w.hidden, rows: tokens, by: layer.qkv, into: w.qkv)
        let scale = 1 / Float(d).squareRoot()
        for index in 0..<(offsets.count - 1) {
            let start = offsets[index], length = Int32(offsets[index + 1] - start)
            let base = w.qkv + start * 3 * h
            for head in 0..<architecture.heads {
                let q = base + head * d, k = q + h, v = q + 2 * h
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, length, length, Int32(d),
                            1, q, Int32(3 * h), k, Int32(3 * h), 0, w.scores, length)
                strata_enc_softmax_rows(w.scores, Int(length), Int(length), Int(length), scale)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, length, Int32(d), length,
                            1, w.scores, length, v, Int32(3 * h), 0, w.context + start * h + head * d, Int32(h))
            }
        }
        strata_enc_rows_plus(w.spare, w.hidden, layer.attentionOutput.bias, tokens, h)
        multiply(w.context, rows: tokens, by: layer.attentionOutput, into: w.spare)
        strata_enc_layernorm(w.spare, layer.attentionNorm.gamma, layer.attentionNorm.beta, tokens, h, architecture.layerNormEpsilon)
    }

    /// `hidden = LayerNorm(spare + GELU(spare · W1ᵀ + b1) · W2ᵀ + b2)`.
    private func feedForwardBlock(_ layer: Layer, tokens: Int, workspace w: EncoderWorkspace) {
        let h = architecture.hiddenSize, wide = architecture.intermediateSize
        strata_enc_rows_plus(w.wide, nil, layer.intermediate.bias, tokens, wide)
        multiply(w.spare, rows: tokens, by: layer.intermediate, into: w.wide)
        strata_enc_gelu(w.wide, tokens * wide)
        strata_enc_rows_plus(w.hidden, w.spare, layer.output.bias, tokens, h)
        multiply(w.wide, rows: tokens, by: layer.output, into: w.hidden)
        strata_enc_layernorm(w.hidden, layer.outputNorm.gamma, layer.outputNorm.beta, tokens, h, architecture.layerNormEpsilon)
    }

    /// `output += input · Wᵀ` for `rows` rows (the bias is already in `output`).
    private func multiply(_ input: UnsafePointer<Float>, rows: Int, by linear: Linear, into output: UnsafeMutablePointer<Float>) {
        switch linear.storage {
        case let .float32Panels(panels):
            strata_enc_gemm_f32(input, linear.inputs, panels, output, linear.outputs, rows, linear.outputs, linear.inputs, 1)
        case let .bfloat16Panels(panels):
            strata_enc_gemm_bf16(input, linear.inputs, panels, output, linear.outputs, rows, linear.outputs, linear.inputs, 1)
        case let .rows(weight):
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(linear.outputs), Int32(linear.inputs),
                        1, input, Int32(linear.inputs), weight, Int32(linear.inputs), 1, output, Int32(linear.outputs))
        }
    }

    /// Mean of `rows` token vectors, scaled to unit length.
    private func pool(_ tokens: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let h = architecture.hiddenSize
        out.initialize(repeating: 0, count: h)
        for row in 0..<rows {
            let vector = tokens + row * h
            for i in 0..<h { out[i] += vector[i] }
        }
        var norm: Float = 0
        for i in 0..<h { norm += out[i] * out[i] }
        // Mean then normalize equals normalizing the sum; guard the all-zero vector.
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        for i in 0..<h { out[i] *= scale }
    }
}
