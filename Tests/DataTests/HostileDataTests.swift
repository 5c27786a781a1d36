@testable import BackpropData
import BackpropTestSupport
import Foundation
import Testing

/// Crafted data files (issue 14, defects 4, 7, 9, 10, 11): each must be an error naming the file, never
/// a trap, a stack overflow or a huge allocation.
@Suite("Hostile data files")
struct HostileDataTests {
    static func write(_ bytes: [UInt8], name: String) throws -> URL {
        let url = try makeDatasetFixtureDirectory("hostile").appending(path: name)
        try Data(bytes).write(to: url)
        return url
    }

    /// The error `body` throws, as a `DatasetError`, with its description.
    static func datasetError(_ body: () throws -> Void) throws -> (DatasetError, String) {
        let error = try #require(throws: DatasetError.self) { try body() }
        return (error, error.description)
    }

    // MARK: - Pickle

    @Test func listsNested50000DeepAreRejected() throws {
        let depth = 50_000
        let bytes: [UInt8] = [0x80, 0x02] + [UInt8](repeating: 0x5d, count: depth)
            + [UInt8](repeating: 0x61, count: depth - 1) + [0x2e]
        let url = try Self.write(bytes, name: "data_batch_1")
        let (error, text) = try Self.datasetError { _ = try CIFAR10.loadPythonBatch(url) }
        guard case .corruptPickle = error else { Issue.record("got \(error)"); return }
        #expect(text.contains("data_batch_1") && text.contains("nest"))
    }

    @Test func tuplesNested100000DeepAreRejected() throws {
        let bytes: [UInt8] = [0x80, 0x02, 0x4e] + [UInt8](repeating: 0x85, count: 100_000) + [0x2e]
        let url = try Self.write(bytes, name: "data_batch_1")
        let (_, text) = try Self.datasetError { _ = try CIFAR10.loadPythonBatch(url) }
        #expect(text.contains("nest"))
    }

    @Test func listsDeepenedThroughTheMemoDoNotCrash() throws {
        // A chain 100,000 lists deep built with a stack of three: each list is fetched from the memo, given a
        // new list, and dropped into a sink. Nothing holds the chain only through its parents, so freeing
        // it never recurses deeply; the reader rejects the file because the result is not a dict.
        func le(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        var bytes: [UInt8] = [0x80, 0x02, 0x5d, 0x5d, 0x72] + le(0) + [0x61]
        for k in 0..<100_000 {
            bytes += [0x6a] + le(k) + [0x5d, 0x72] + le(k + 1) + [0x61, 0x61]
        }
        bytes.append(0x2e)
        let url = try Self.write(bytes, name: "data_batch_1")
        let (_, text) = try Self.datasetError { _ = try CIFAR10.loadPythonBatch(url) }
        #expect(text.contains("not a dict"))
    }

    @Test func pickleRunsAtMostItsOpcodeBudget() throws {
        // 1000 NONEs then STOP: over a budget of 500, within one of 2000.
        let bytes: [UInt8] = [0x80, 0x02] + [UInt8](repeating: 0x4e, count: 1000) + [0x2e]
        let url = URL(filePath: "/data/data_batch_1")
        let error = try #require(throws: DatasetError.self) { try PickleReader.decode(bytes, url: url, maximumOpcodes: 500) }
        #expect(error.description.contains("no STOP after 500 opcodes"))
        guard case .none = try PickleReader.decode(bytes, url: url, maximumOpcodes: 2000) else {
            Issue.record("STOP did not return the last NONE"); return
        }
        #expect(PickleReader.maximumOpcodes >= 1 << 20)
    }

    @Test(arguments: [UInt8(0x8e), 0x96])
    func byteStringLengthBeyondIntIsTruncation(opcode: UInt8) throws {
        let bytes: [UInt8] = [0x80, 0x04, opcode] + [UInt8](repeating: 0xff, count: 8) + [1, 2, 3, 0x2e]
        let url = try Self.write(bytes, name: "data_batch_1")
        let (_, text) = try Self.datasetError { _ = try CIFAR10.loadPythonBatch(url) }
        #expect(text.contains("data_batch_1") && text.contains("18446744073709551615"))
    }

    @Test func ndarrayShapeWhoseElementCountOverflowsIsMalformed() throws {
        var p = PickleFixture()
        p.op(0x7d); p.put(); p.op(0x28)
        p.string("labels"); p.intList([1])
        p.string("data"); p.array([1, 2, 3], shape: [1 << 61, 3072])
        p.op(0x75); p.op(0x2e)
        let url = try Self.write(p.bytes, name: "data_batch_1")
        let (_, text) = try Self.datasetError { _ = try CIFAR10.loadPythonBatch(url) }
        #expect(text.contains("data_batch_1") && text.contains("2305843009213693952"))
    }

    @Test func protocol2EmptyBytesIsRead() throws {
        // Python 3's pickle.dumps({'data': b''}, 2): bytes() is pickled as __builtin__.bytes + ().
        let bytes = Array("\u{80}\u{02}}q\u{00}X\u{04}\u{00}\u{00}\u{00}dataq\u{01}c__builtin__\nbytes\nq\u{02})Rq\u{03}s.".unicodeScalars.map { UInt8($0.value) })
        let url = try Self.write(bytes, name: "empty.pickle")
        guard case .dict(let dict) = try PickleReader.decode(try FileReading.bytes(of: url), url: url),
              case .bytes(let data)? = dict["data"] else {
            Issue.record("no bytes under 'data'"); return
        }
        #expect(data.isEmpty)
    }

    // MARK: - IDX

    @Test func idxDimensionsWhoseProductOverflowsAreMalformed() throws {
        let header: [UInt8] = [0, 0, 8, 3, 0x80, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 4]
        let url = try Self.write(header, name: "t10k-images-idx3-ubyte")
        let (_, text) = try Self.datasetError { _ = try IDX.loadImages(url) }
        #expect(text.contains("t10k-images-idx3-ubyte") && text.contains("2147483648"))
    }

    @Test func idxOfZeroImagesWhoseRowsTimesColumnsOverflowIsMalformed() throws {
        // Found by scripts/fuzz.sh IDX: 0 images of 2³² − 1 × 2³² − 1 pixels passed the size check (0 bytes)
        // and trapped on rows × columns.
        let header: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        let url = try Self.write(header, name: "t10k-images-idx3-ubyte")
        let (_, text) = try Self.datasetError { _ = try IDX.loadImages(url) }
        #expect(text.contains("t10k-images-idx3-ubyte") && text.contains("4294967295"))
    }

    @Test func fashionMNISTTestImagesOfAnotherSizeAreAShapeMismatch() throws {
        let directory = try makeDatasetFixtureDirectory("fashion")
        for (prefix, side) in [("train", 28), ("t10k", 7)] {
            try writeIDXFixture(images: directory.appending(path: "\(prefix)-images-idx3-ubyte.gz"),
                                labels: directory.appending(path: "\(prefix)-labels-idx1-ubyte.gz"),
                                pixels: [UInt8](repeating: 9, count: 4 * side * side), labelValues: [0, 1, 2, 3],
                                rows: side, columns: side)
        }
        let (error, text) = try Self.datasetError { _ = try FashionMNIST.load(directory: directory, validationCount: 1) }
        guard case .shapeMismatch = error else { Issue.record("got \(error)"); return }
        #expect(text.contains("train-images-idx3-ubyte.gz") && text.contains("t10k-images-idx3-ubyte.gz"))
        #expect(text.contains("28") && text.contains("7"))
    }

    @Test func fashionMNISTWhoseImagesAreAllSmallerIsAnErrorNamingTheFolder() throws {
        // Train and test agree (7 × 7), but augmentations and reports are configured for 28 × 28.
        let directory = try makeDatasetFixtureDirectory("fashion-small")
        for prefix in ["train", "t10k"] {
            try writeIDXFixture(images: directory.appending(path: "\(prefix)-images-idx3-ubyte.gz"),
                                labels: directory.appending(path: "\(prefix)-labels-idx1-ubyte.gz"),
                                pixels: [UInt8](repeating: 9, count: 4 * 49), labelValues: [0, 1, 2, 3], rows: 7, columns: 7)
        }
        let configuration = DatasetConfiguration(source: .fashionMNIST(validationCount: 1), directory: directory.path)
        let (error, text) = try Self.datasetError { _ = try configuration.load() }
        guard case .malformed = error else { Issue.record("got \(error)"); return }
        #expect(text.contains(directory.path) && text.contains("7 × 7") && text.contains("28 × 28"))
    }

    // MARK: - CIFAR-10 binary

    @Test func sparse21GBBatchIsRejectedBeforeAllocating() throws {
        let url = try makeDatasetFixtureDirectory("sparse").appending(path: "data_batch_1.bin")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(CIFAR10.recordSize) * 7_000_000)  // 21.5 GB, no disk used
        try handle.close()
        let (error, text) = try Self.datasetError { _ = try CIFAR10.loadBinaryBatch(url) }
        guard case .malformed = error else { Issue.record("got \(error)"); return }
        #expect(text.contains("data_batch_1.bin") && text.contains("7000000"))
    }

    /// A sparse file of `size` bytes named `name` (no disk used).
    static func sparseFile(_ name: String, size: UInt64) throws -> URL {
        let url = try makeDatasetFixtureDirectory("sparse").appending(path: name)
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: size)
        try handle.close()
        return url
    }

    @Test func sparse21GBFilesOfTheOtherReadersAreRejectedBeforeReading() throws {
        let size = UInt64(21_500_000_000)
        let idx = try Self.sparseFile("train-images-idx3-ubyte", size: size)
        let (_, idxText) = try Self.datasetError { _ = try IDX.loadImages(idx) }
        #expect(idxText.contains("train-images-idx3-ubyte") && idxText.contains("21500000000 bytes"))
        let pickle = try Self.sparseFile("data_batch_1", size: size)
        let (_, pickleText) = try Self.datasetError { _ = try CIFAR10.loadPythonBatch(pickle) }
        #expect(pickleText.contains("data_batch_1") && pickleText.contains("21500000000 bytes"))
        let meta = try Self.sparseFile("batches.meta.txt", size: size)
        let (_, metaText) = try Self.datasetError { _ = try CIFAR10.loadClassNames(meta.deletingLastPathComponent()) }
        #expect(metaText.contains("batches.meta.txt") && metaText.contains("65536"))
    }

    @Test func directoryNamedLikeABatchIsNamedAsADirectory() throws {
        let directory = try makeDatasetFixtureDirectory("cifar-dir")
        try FileManager.default.createDirectory(at: directory.appending(path: "data_batch_1.bin"),
                                                withIntermediateDirectories: true)
        let (error, text) = try Self.datasetError { _ = try CIFAR10.load(directory: directory, split: .batch1Batch2Test) }
        guard case .missingFile = error else { Issue.record("got \(error)"); return }
        #expect(text.contains("data_batch_1.bin") && text.contains("directory"))
    }

    @Test func metaFileWithElevenNamesIsAnError() throws {
        let directory = try makeDatasetFixtureDirectory("cifar-meta")
        try writeCIFAR10BinaryFixture(to: directory, imagesPerBatch: 3, seed: 1)
        let names = CIFAR10.defaultClassNames + ["dragon"]
        try (names.joined(separator: "\n") + "\n").write(to: directory.appending(path: "batches.meta.txt"),
                                                        atomically: true, encoding: .utf8)
        let (_, text) = try Self.datasetError { _ = try CIFAR10.load(directory: directory, split: .batch1Batch2Test) }
        #expect(text.contains("batches.meta.txt") && text.contains("11"))
    }

    @Test func metaFileOfRandomBytesIsAnError() throws {
        let directory = try makeDatasetFixtureDirectory("cifar-meta")
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(noise).write(to: directory.appending(path: "batches.meta.txt"))
        let (_, text) = try Self.datasetError { _ = try CIFAR10.loadClassNames(directory) }
        #expect(text.contains("batches.meta.txt"))
    }

    // MARK: - gzip

    /// `members` copies of one gzip member holding 1 MiB of zeros: about 1 KB each on disk.
    static func bomb(members: Int) -> [UInt8] {
        let member = Gzip.compress([UInt8](repeating: 0, count: 1 << 20), level: 9)
        var bytes = [UInt8]()
        bytes.reserveCapacity(member.count * members)
        for _ in 0..<members { bytes += member }
        return bytes
    }

    @Test func gzipBombIsStoppedAtTheOutputLimit() throws {
        let source = URL(filePath: "/data/bomb.gz")
        let bomb = Self.bomb(members: 16)  // 16 MiB from about 16 KB
        let limit = Gzip.Limit(maximumBytes: 1 << 30, maximumRatio: 100)
        let error = try #require(throws: DatasetError.self) { try Gzip.decompress(bomb, source: source, limit: limit) }
        guard case .corruptGzip(source, let reason) = error else { Issue.record("got \(error)"); return }
        #expect(reason.contains("\(limit.outputCap(inputBytes: bomb.count))"))
        #expect(limit.outputCap(inputBytes: bomb.count) < 4 << 20)
        // The same stream is read whole when the limit allows it.
        #expect(try Gzip.decompress(bomb, source: source, limit: Gzip.Limit(maximumBytes: 1 << 30, maximumRatio: 2000)).count == 16 << 20)
    }

    @Test func defaultGzipLimitRejectsA2MBBombAndAdmitsRealDataSets() throws {
        let limit = Gzip.Limit.standard
        // A 2 MB bomb of 2 GB: capped far below its size.
        #expect(limit.outputCap(inputBytes: 2_000_000) < 512 << 20)
        // Fashion-MNIST's training images: 26.4 MB to 47.0 MB; MNIST's: 9.9 MB to 47.0 MB; CIFAR-10: 170 to 185 MB.
        #expect(limit.outputCap(inputBytes: 26_421_880) >= 47_040_016)
        #expect(limit.outputCap(inputBytes: 9_912_422) >= 47_040_016)
        #expect(limit.outputCap(inputBytes: 170_052_171) >= 184_320_000)
        let source = URL(filePath: "/data/bomb.gz")
        // 200 MiB from about 200 KB: rejected once it passes 50 × 200 KB.
        #expect(throws: DatasetError.self) { try Gzip.decompress(Self.bomb(members: 200), source: source) }
    }

    @Test func truncatedFiveByteFileDoesNotTrustItsTrailer() throws {
        let bytes: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0xff]
        #expect(Gzip.Limit.standard.firstBufferSize(inputBytes: bytes) <= 1 << 20)
        let source = URL(filePath: "/data/short.gz")
        #expect(throws: DatasetError.self) { try Gzip.decompress(bytes, source: source) }
    }
}
