import Foundation
import StrataIndex
import Testing

@Suite struct VectorFileTests {
    let scratch: ScratchDirectory
    init() throws { scratch = try ScratchDirectory() }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = scratch.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func words(_ values: [UInt32]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) } }

    @Test func fvecsIvecsAndNpyRoundTrip() throws {
        let set = VectorSet(dimension: 3, values: [1, 2, 3, 4, 5, 6.5])
        try TexmexFile.write(set, to: scratch.file("a.fvecs"))
        #expect(try VectorSet.read(contentsOf: scratch.file("a.fvecs")) == set)
        try NumpyFile.write(set, to: scratch.file("a.npy"))
        #expect(try VectorSet.read(contentsOf: scratch.file("a.npy")) == set)
        try TexmexFile.write([[1, 2], [3, 4]], to: scratch.file("a.ivecs"))
        #expect(try TexmexFile.readIntegers(scratch.file("a.ivecs")) == [[1, 2], [3, 4]])
        #expect(set.count == 2 && set[1] == [4, 5, 6.5] && set.prefix(1).count == 1)
    }

    @Test func malformedTexmexFilesNameTheProblem() throws {
        let short = try write([1, 0], "short.fvecs")
        #expect(throws: IndexError.file(path: short, problem: "file is 2 bytes, shorter than one record header (4 bytes)")) {
            try VectorSet.read(contentsOf: short)
        }
        // A record cut short.
        let cut = try write(words([2, Float(1).bitPattern, Float(2).bitPattern, 2, Float(3).bitPattern]), "cut.fvecs")
        let cutError = #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: cut) }
        #expect("\(cutError!)".contains("not a whole number of 12-byte records"))
        // Records of different dimensions.
        let mixed = try write(words([1, Float(1).bitPattern, 2, Float(3).bitPattern]), "mixed.fvecs")
        #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: mixed) }
        // A nonsense dimension header.
        let negative = try write(words([UInt32(bitPattern: -5), 0]), "neg.fvecs")
        let negativeError = #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: negative) }
        #expect("\(negativeError!)".contains("declares dimension -5"))
        // NaN inside.
        let nan = try write(words([2, Float(1).bitPattern, Float.nan.bitPattern]), "nan.fvecs")
        let nanError = #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: nan) }
        #expect("\(nanError!)".contains("vector 0, component 1 is nan"))
        #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: scratch.file("missing.fvecs")) }
        #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: try write([], "x.csv")) }
    }

    func npy(_ header: String, body: [UInt8]) -> [UInt8] {
        var h = header
        while (10 + h.utf8.count + 1) % 64 != 0 { h += " " }
        h += "\n"
        let length = UInt16(h.utf8.count)
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(length & 0xff), UInt8(length >> 8)] + Array(h.utf8) + body
    }

    @Test func malformedNumpyFilesNameTheProblem() throws {
        let float64 = try write(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }",
                                    body: [1.5, -2.0].flatMap { withUnsafeBytes(of: Double($0).bitPattern.littleEndian, Array.init) }), "f8.npy")
        #expect(try VectorSet.read(contentsOf: float64).values == [1.5, -2])
        let truncated = try write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }", body: [0, 0, 0, 0]), "t.npy")
        let error = #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: truncated) }
        #expect("\(error!)".contains("truncated"))
        let ints = try write(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1), }", body: [0, 0, 0, 0]), "i.npy")
        #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: ints) }
        let oneD = try write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", body: Array(repeating: 0, count: 12)), "1d.npy")
        #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: oneD) }
        let fortran = try write(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", body: [0, 0, 0, 0]), "f.npy")
        #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: fortran) }
        let nan = try write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }",
                                body: withUnsafeBytes(of: Float.nan.bitPattern.littleEndian, Array.init)), "nan.npy")
        #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: nan) }
        let foreign = try write(Array("hello, world".utf8), "foreign.npy")
        #expect(throws: IndexError.self) { try VectorSet.read(contentsOf: foreign) }
    }
}
