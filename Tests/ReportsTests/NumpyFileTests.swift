import BackpropReports
import BackpropTensor
import Foundation
import Testing

@Suite("NumpyFile")
struct NumpyFileTests {
    // MARK: - Exact bytes

    /// `numpy.save` output (NumPy 2.4), base64: the files must be byte-identical.
    static let numpyFixtures: [(name: String, base64: String)] = [
        ("float32 [[1, 2, 3], [4, 5, 6]]",
         "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAQEAAAIBAAACgQAAAwEA="),
        ("float64 [0.1, -0.0, 1e-300, inf, -2.5]",
         "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqamZmZmZm5PwAAAAAAAACAWfP4wh9upQEAAAAAAADwfwAAAAAAAATA"),
        ("float64 zeros((0, 3))",
         "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo="),
    ]

    @Test("the header of a Float [2, 3] tensor is NumPy's, byte for byte, and the data is little-endian")
    func exactHeader() {
        let bytes = [UInt8](NumpyFile.encode(Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])))
        let dictionary = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
        let expectedHeader: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, 118, 0]
            + Array(dictionary.utf8) + Array(repeating: 0x20, count: 58) + [0x0A]
        #expect(bytes.count == 128 + 6 * 4)
        #expect(Array(bytes.prefix(128)) == expectedHeader)
        #expect(Array(bytes[128..<136]) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40]) // 1.0f, 2.0f
    }

    @Test("encodes exactly what numpy.save writes", arguments: numpyFixtures.indices)
    func matchesNumpy(index: Int) throws {
        let fixture = Self.numpyFixtures[index]
        let expected = try #require(Data(base64Encoded: fixture.base64))
        let encoded: Data
        switch index {
        case 0: encoded = NumpyFile.encode(Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        case 1: encoded = NumpyFile.encode(Tensor<Double>(shape: [5], scalars: [0.1, -0.0, 1e-300, .infinity, -2.5]))
        default: encoded = NumpyFile.encode(Tensor<Double>(zeros: [0, 3]))
        }
        #expect(encoded == expected, "\(fixture.name)")
    }

    @Test("the data starts at a multiple of 64 bytes after a header ending in a newline", arguments: [
        [], [1], [7], [0, 3], [0, 3072], [50_000, 0], [2, 3, 4, 5], [123_456_789_012, 0],
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    ])
    func alignment(shape: [Int]) throws {
        let bytes = [UInt8](NumpyFile.encode(Tensor<Float>(zeros: shape)))
        let headerEnd = 10 + (Int(bytes[8]) | Int(bytes[9]) << 8)
        #expect(headerEnd % 64 == 0)
        #expect(bytes[headerEnd - 1] == 0x0A)
        #expect(try NumpyFile.decode(Data(bytes), as: Float.self, source: "x").shape == shape)
    }

    // MARK: - Round trips

    @Test("Float and Double tensors survive a write and read", arguments: [[2, 3], [5], [0, 3], []])
    func roundTrip(shape: [Int]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let count = shape.reduce(1, *)
        let doubles = Tensor<Double>(shape: shape, scalars: (0..<count).map { Double($0) * 0.37 - 1.1 })
        let floats = doubles.converted(to: Float.self)
        let doubleURL = directory.url.appendingPathComponent("nested/d.npy")
        let floatURL = directory.url.appendingPathComponent("nested/f.npy")
        try NumpyFile.write(doubles, to: doubleURL)
        try NumpyFile.write(floats, to: floatURL)
        #expect(try NumpyFile.read(doubleURL, as: Double.self) == doubles)
        #expect(try NumpyFile.read(floatURL, as: Float.self) == floats)
        // Converting on read: <f4 widens exactly, <f8 narrows to the nearest Float.
        #expect(try NumpyFile.read(floatURL, as: Double.self) == floats.converted(to: Double.self))
        #expect(try NumpyFile.read(doubleURL, as: Float.self) == floats)
    }

    @Test("special values keep their bit patterns")
    func specialValues() throws {
        let values: [Float] = [.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        let decoded = try NumpyFile.decode(NumpyFile.encode(Tensor(shape: [6], scalars: values)), as: Float.self, source: "x")
        #expect(decoded.scalars.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test("reads headers written by other tools: key order, double quotes, no spaces, versions 2 and 3")
    func lenientHeaders() throws {
        let data: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]
        for (version, dictionary) in [
            (1, #"{"shape":(2,),"fortran_order":False,"descr":"<f4"}"#),
            (2, "{'shape': (1, 2), 'descr': '<f4', 'fortran_order': False}\n"),
            (3, "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }   \n"),
        ] {
            let bytes = Self.file(version: version, header: dictionary, data: data)
            let tensor = try NumpyFile.decode(bytes, as: Double.self, source: "v\(version).npy")
            #expect(tensor.scalars == [1, 2], "version \(version)")
        }
    }

    // MARK: - Errors

    @Test("a version 2 header nesting a million tuples is an error, not a stack overflow (issue 14)")
    func deeplyNestedHeader() throws {
        let depth = 1_000_000
        let text = Array(("{'descr': '<f4', 'fortran_order': False, 'shape': " + String(repeating: "(", count: depth)
            + String(repeating: ")", count: depth) + "}\n").utf8)
        let length = (0..<4).map { UInt8(truncatingIfNeeded: text.count >> (8 * $0)) }
        let bytes = [0x93] + Array("NUMPY".utf8) + [2, 0] + length + text
        let error = try #require(throws: ReportFileError.self) {
            try NumpyFile.decode(Data(bytes), as: Float.self, source: "runs/W1.npy")
        }
        guard case let .malformedNumpy(path, reason) = error else { Issue.record("got \(error)"); return }
        #expect(path == "runs/W1.npy")
        #expect(reason.contains("nest more than"))
        #expect(reason.count < 500)
    }

    @Test("a directory or a device (/dev/zero never ends) is a read error naming it, not a hang (issue 14)",
          arguments: [true, false])
    func notAFile(directory: Bool) throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "backprop-npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["W.npy", "image.png"] {
            let url = folder.appending(path: name)
            if directory {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } else {
                try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: "/dev/zero")
            }
            let error = try #require(throws: ReportFileError.self) {
                _ = name.hasSuffix(".npy") ? try NumpyFile.read(url, as: Float.self) : try PredictionInput.read(url)
            }
            guard case let .cannotRead(path, reason) = error else { Issue.record("got \(error)"); continue }
            #expect(path == url.path)
            #expect(reason.contains(directory ? "is a directory" : "not a regular file"))
        }
    }

    @Test("a missing file is a read error naming the path")
    func missingFile() throws {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/W.npy")
        let error = try #require(throws: ReportFileError.self) { try NumpyFile.read(url, as: Float.self) }
        guard case let .cannotRead(path, _) = error else {
            Issue.record("expected cannotRead, got \(error)")
            return
        }
        #expect(path == url.path)
    }

    static let malformedCases: [(name: String, bytes: Data, reason: String)] = {
        let good = NumpyFile.encode(Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        let float8: [UInt8] = Array(repeating: 0, count: 8)
        return [
            ("bad magic", Data("PK\u{3}\u{4}not numpy at all".utf8), "magic"),
            ("empty file", Data(), "magic"),
            ("truncated data", good.prefix(good.count - 3), "truncated"),
            ("trailing bytes", good + Data([1, 2, 3, 4]), "follow the header"),
            ("truncated header", good.prefix(60), "header needs 118 bytes"),
            ("unknown version", file(version: 9, header: "{}", data: []), "version 9.0"),
            ("integers", file(version: 1, header: "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", data: float8), "'<i4'"),
            ("big-endian", file(version: 1, header: "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", data: float8), "'>f8'"),
            ("Fortran order", file(version: 1, header: "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }", data: float8), "Fortran"),
            ("missing shape", file(version: 1, header: "{'descr': '<f4', 'fortran_order': False}", data: float8), "missing key 'shape'"),
            ("negative extent", file(version: 1, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", data: float8), "unexpected character '-'"),
            ("not a dictionary", file(version: 1, header: "[1, 2]", data: float8), "unexpected character '['"),
            ("unterminated", file(version: 1, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,", data: float8), "missing ')'"),
            ("unknown key", file(version: 1, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", data: float8), "unknown header key 'x'"),
            ("overflowing shape", file(version: 1, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", data: float8), "truncated"),
        ]
    }()

    @Test("malformed files throw errors that name the file and the problem", arguments: malformedCases.indices)
    func malformed(index: Int) throws {
        let testCase = Self.malformedCases[index]
        let error = try #require(throws: ReportFileError.self, "\(testCase.name)") {
            try NumpyFile.decode(testCase.bytes, as: Float.self, source: "runs/W1.npy")
        }
        guard case let .malformedNumpy(path, reason) = error else {
            Issue.record("\(testCase.name): expected malformedNumpy, got \(error)")
            return
        }
        #expect(path == "runs/W1.npy")
        #expect(reason.contains(testCase.reason), "\(testCase.name): \(reason)")
        #expect(error.description.hasPrefix("runs/W1.npy is not a valid .npy file"))
    }

    /// A `.npy` file with an arbitrary header dictionary, for testing the reader on inputs NumPy would
    /// not write.
    static func file(version: Int, header: String, data: [UInt8]) -> Data {
        let text = Array(header.utf8)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [UInt8(version), 0]
        if version == 1 {
            bytes += [UInt8(text.count & 0xFF), UInt8(text.count >> 8)]
        } else {
            bytes += [UInt8(text.count & 0xFF), UInt8(text.count >> 8), 0, 0]
        }
        return Data(bytes + text + data)
    }
}
