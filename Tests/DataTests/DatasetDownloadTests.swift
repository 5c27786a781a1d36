import BackpropData
import BackpropTestSupport
import Foundation
import Testing

@Suite("Downloading CIFAR-10")
struct DatasetDownloadTests {
    /// A fake `cifar-10-binary.tar.gz` of three images per batch, in a `server` folder of `root`.
    struct Archive {
        var url: URL
        var md5: String
        var batches: URL
    }

    static func makeArchive(in root: URL, entries: [TarEntry]? = nil) throws -> Archive {
        let batches = root.appending(path: "source/cifar-10-batches-bin")
        try writeCIFAR10BinaryFixture(to: batches, imagesPerBatch: 3, seed: 11, testImages: 2)
        let bytes = Gzip.compress(tarArchive(try entries ?? tarEntries(of: batches)))
        let server = root.appending(path: "server")
        try FileManager.default.createDirectory(at: server, withIntermediateDirectories: true)
        let url = server.appending(path: "cifar-10-binary.tar.gz")
        try Data(bytes).write(to: url)
        return Archive(url: url, md5: MD5.hexDigest(bytes), batches: batches)
    }

    func listing(_ directory: URL) -> [String] {
        (FileManager.default.enumerator(atPath: directory.path)?.allObjects as? [String] ?? []).sorted()
    }

    let unpacked = ["cifar-10-batches-bin"] + ["batches.meta.txt", "data_batch_1.bin", "data_batch_2.bin",
        "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"].map { "cifar-10-batches-bin/" + $0 }

    /// Checks that `folder` holds the fixture's batches and that CIFAR-10 loads from its parent.
    func expectLoadable(_ directory: URL, _ archive: Archive) throws {
        let splits = try CIFAR10.load(directory: directory, split: .batch1Batch2Test)
        #expect(splits.train.count == 3)
        #expect(splits.validation.count == 3)
        #expect(splits.test.count == 2)
        let name = "cifar-10-batches-bin/data_batch_1.bin"
        #expect(try Data(contentsOf: directory.appending(path: name))
            == Data(contentsOf: archive.batches.appending(path: "data_batch_1.bin")))
    }

    @Test func downloadsChecksAndUnpacksAFileURL() throws {
        let root = try makeDatasetFixtureDirectory("download")
        let archive = try Self.makeArchive(in: root)
        let data = root.appending(path: "data")
        var reports: [(Int64, Int64?)] = []
        let folder = try CIFAR10.download(to: data, from: archive.url, expectedMD5: archive.md5) { reports.append(($0, $1)) }
        #expect(folder.standardizedFileURL.path == data.appending(path: "cifar-10-batches-bin").standardizedFileURL.path)
        try expectLoadable(data, archive)
        // Neither the .part file nor the staging folder is left behind.
        #expect(listing(data) == unpacked)
        let size = Int64(try Data(contentsOf: archive.url).count)
        #expect(reports.first?.0 == 0)
        #expect(reports.last?.0 == size)
        #expect(reports.allSatisfy { $0.1 == size })
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.0 <= $1.0 })
    }

    @Test func wrongChecksumDeletesTheDownload() throws {
        let root = try makeDatasetFixtureDirectory("download")
        let archive = try Self.makeArchive(in: root)
        let data = root.appending(path: "data")
        let wrong = "c32a1d4ab5d03f1284b67883e8d87530"
        let error = try #require(throws: DownloadError.self) {
            try CIFAR10.download(to: data, from: archive.url, expectedMD5: wrong) { _, _ in }
        }
        #expect(error == .checksumMismatch(archive.url, expected: wrong, found: archive.md5, removed: true))
        #expect(error.description.contains("MD5 checksum is \(archive.md5) but the published one is \(wrong)"))
        #expect(listing(data).isEmpty)
    }

    @Test func unpacksAnArchiveCopiedThereByHand() throws {
        let root = try makeDatasetFixtureDirectory("download")
        let archive = try Self.makeArchive(in: root)
        let data = root.appending(path: "data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: archive.url, to: data.appending(path: "cifar-10-binary.tar.gz"))
        // The address does not exist: the hand copy must be used without fetching anything.
        let offline = URL(filePath: "/nonexistent/cifar-10-binary.tar.gz")
        var calls = 0
        try CIFAR10.download(to: data, from: offline, expectedMD5: archive.md5.uppercased()) { _, _ in calls += 1 }
        #expect(calls == 0)
        try expectLoadable(data, archive)
        #expect(listing(data) == (["cifar-10-binary.tar.gz"] + unpacked).sorted())
    }

    @Test func damagedHandCopyIsKeptAndNamed() throws {
        let root = try makeDatasetFixtureDirectory("download")
        let archive = try Self.makeArchive(in: root)
        let data = root.appending(path: "data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let copy = data.appending(path: "cifar-10-binary.tar.gz")
        try Data(Array(try Data(contentsOf: archive.url)).dropLast(10)).write(to: copy)
        let error = try #require(throws: DownloadError.self) {
            try CIFAR10.download(to: data, from: archive.url, expectedMD5: archive.md5) { _, _ in }
        }
        guard case .checksumMismatch(let url, _, _, let removed) = error else {
            Issue.record("expected a checksum mismatch, got \(error)")
            return
        }
        #expect(url == copy)
        #expect(!removed)
        #expect(error.description.contains("delete \(copy.path) or replace it with a good copy"))
        #expect(listing(data) == ["cifar-10-binary.tar.gz"])
    }

    @Test func doesNothingWhenTheBatchesAreThere() throws {
        let root = try makeDatasetFixtureDirectory("download")
        try writeCIFAR10BinaryFixture(to: root.appending(path: "cifar-10-batches-bin"), imagesPerBatch: 1, seed: 1)
        let folder = try CIFAR10.download(to: root, from: URL(filePath: "/nonexistent/x.tar.gz"), expectedMD5: "") { _, _ in }
        #expect(folder.lastPathComponent == "cifar-10-batches-bin")
    }

    @Test func replacesAnEmptyFolder() throws {
        let root = try makeDatasetFixtureDirectory("download")
        let archive = try Self.makeArchive(in: root)
        let data = root.appending(path: "data")
        try FileManager.default.createDirectory(at: data.appending(path: "cifar-10-batches-bin"), withIntermediateDirectories: true)
        try CIFAR10.download(to: data, from: archive.url, expectedMD5: archive.md5) { _, _ in }
        try expectLoadable(data, archive)
    }

    @Test func refusesAFolderWithoutTheBatches() throws {
        let root = try makeDatasetFixtureDirectory("download")
        let folder = root.appending(path: "cifar-10-batches-bin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data([1]).write(to: folder.appending(path: "notes.txt"))
        let error = try #require(throws: DatasetError.self) {
            try CIFAR10.download(to: root, from: URL(filePath: "/nonexistent/x.tar.gz"), expectedMD5: "") { _, _ in }
        }
        #expect(error.description.contains("cifar-10-batches-bin: exists but holds no data_batch_1.bin"))
    }

    @Test func archiveWithoutTheBatchesIsAnErrorAndLeavesNothing() throws {
        let root = try makeDatasetFixtureDirectory("download")
        let archive = try Self.makeArchive(in: root, entries: [.file("cifar-10-batches-py/data_batch_1", [1, 2])])
        let data = root.appending(path: "data")
        let error = try #require(throws: DatasetError.self) {
            try CIFAR10.download(to: data, from: archive.url, expectedMD5: archive.md5) { _, _ in }
        }
        #expect(error.description.contains("holds no cifar-10-batches-bin/data_batch_1.bin"))
        #expect(listing(data).isEmpty)
    }

    @Test func unreachableAddressNamesItAndTheManualSteps() throws {
        let root = try makeDatasetFixtureDirectory("download")
        let data = root.appending(path: "data")
        let missing = URL(filePath: "/nonexistent/cifar-10-binary.tar.gz")
        let error = try #require(throws: DownloadError.self) {
            try CIFAR10.download(to: data, from: missing, expectedMD5: "") { _, _ in }
        }
        guard case .network(let url, let destination, _) = error else {
            Issue.record("expected a network error, got \(error)")
            return
        }
        #expect(url == missing)
        #expect(destination.standardizedFileURL.path == data.standardizedFileURL.path)
        #expect(error.description.hasPrefix("cannot download file:///nonexistent/cifar-10-binary.tar.gz: cannot open"))
        #expect(error.description.contains("curl -LO file:///nonexistent/cifar-10-binary.tar.gz"))
        #expect(error.description.contains("tar xzf cifar-10-binary.tar.gz -C \(data.path)"))
        #expect(listing(data).isEmpty)
    }

    // MARK: - Over HTTP, from a server on this machine

    @Test func downloadsOverHTTP() throws {
        let root = try makeDatasetFixtureDirectory("download")
        let archive = try Self.makeArchive(in: root)
        let body = Array(try Data(contentsOf: archive.url))
        let server = try LocalHTTPServer(["/kriz/cifar-10-binary.tar.gz": .init(status: 200, body: body)])
        defer { server.stop() }
        let data = root.appending(path: "data")
        var reports: [(Int64, Int64?)] = []
        try CIFAR10.download(to: data, from: server.url("/kriz/cifar-10-binary.tar.gz"), expectedMD5: archive.md5) {
            reports.append(($0, $1))
        }
        try expectLoadable(data, archive)
        #expect(listing(data) == unpacked)
        #expect(reports.last.map { $0.0 == Int64(body.count) && $0.1 == Int64(body.count) } == true)
    }

    @Test func httpErrorStatusIsReported() throws {
        let root = try makeDatasetFixtureDirectory("download")
        let server = try LocalHTTPServer([:])
        defer { server.stop() }
        let data = root.appending(path: "data")
        let url = server.url("/moved/cifar-10-binary.tar.gz")
        let error = try #require(throws: DownloadError.self) {
            try CIFAR10.download(to: data, from: url, expectedMD5: "") { _, _ in }
        }
        guard case .httpStatus(url, let destination, 404) = error else {
            Issue.record("expected HTTP status 404, got \(error)")
            return
        }
        #expect(destination.standardizedFileURL.path == data.standardizedFileURL.path)
        #expect(error.description.contains("the server answered HTTP 404 (not found; the address may have moved)"))
        #expect(listing(data).isEmpty)
    }

    @Test func brokenTransferIsANetworkErrorAndLeavesNoPartFile() throws {
        let root = try makeDatasetFixtureDirectory("download")
        let body = [UInt8](repeating: 0x1f, count: 5000)
        let server = try LocalHTTPServer(["/a.tar.gz": .init(status: 200, body: body, advertisedLength: 9000)])
        defer { server.stop() }
        let data = root.appending(path: "data")
        let error = try #require(throws: DownloadError.self) {
            try CIFAR10.download(to: data, from: server.url("/a.tar.gz"), expectedMD5: "") { _, _ in }
        }
        guard case .network = error else {
            Issue.record("expected a network error, got \(error)")
            return
        }
        #expect(listing(data).isEmpty)
    }

    @Test func refusedConnectionIsANetworkError() throws {
        let server = try LocalHTTPServer([:])
        let url = server.url("/cifar-10-binary.tar.gz")
        server.stop()
        let data = try makeDatasetFixtureDirectory("download")
        let error = try #require(throws: DownloadError.self) {
            try DatasetDownload.fetch(url, to: data.appending(path: "x.part")) { _, _ in }
        }
        #expect(error.description.hasPrefix("cannot download \(url.absoluteString): "))
        #expect(listing(data).isEmpty)
    }
}
