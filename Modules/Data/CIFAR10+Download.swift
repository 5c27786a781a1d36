import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CIFAR10 {
    /// Where the CIFAR-10 page (https://www.cs.toronto.edu/~kriz/cifar.html) publishes the binary version.
    // A constant, valid address: the unwrap cannot fail.
    public static let officialBinaryURL = URL(string: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")!
    /// The MD5 checksum the CIFAR-10 page publishes for `cifar-10-binary.tar.gz`.
    public static let officialBinaryMD5 = "c32a1d4ab5d03f1284b67883e8d87530"
    /// The folder the binary archive unpacks to.
    public static let binaryFolderName = "cifar-10-batches-bin"

    /// Downloads the binary version of CIFAR-10 into `directory`, checks its MD5, and unpacks it to
    /// `directory/cifar-10-batches-bin`.
    ///
    /// The archive is fetched to `<name>.part` in `directory` and deleted once unpacked. When
    /// `directory` already holds the archive under its own name (copied there by hand, for example on a
    /// machine without internet access), that copy is checked and unpacked instead, and kept. The files
    /// are unpacked into a hidden staging folder first and the finished `cifar-10-batches-bin` is moved
    /// into place, so an interrupted run never leaves a partial data folder. When the folder already
    /// holds the batches, nothing is done; an empty one is replaced.
    ///
    /// ```swift
    /// let folder = try CIFAR10.download(to: URL(filePath: "data")) { done, total in … }
    /// let splits = try CIFAR10.load(directory: folder, split: .batch1Batch2Test)
    /// ```
    ///
    /// - Parameters:
    ///   - directory: the folder to unpack into; the batches end up in its `cifar-10-batches-bin`.
    ///   - url: the archive's address (`https`, or `file` for a local copy).
    ///   - expectedMD5: the published checksum, as 32 hexadecimal digits.
    ///   - progress: called with the bytes received so far and the total when known, on this thread.
    /// - Returns: the folder holding the batches.
    /// - Throws: `DownloadError` when the transfer fails or the checksum differs (the download is then
    ///   deleted); `DatasetError` when the archive is damaged, does not hold the batches, or
    ///   `cifar-10-batches-bin` exists without them.
    @discardableResult
    public static func download(
        to directory: URL, from url: URL = officialBinaryURL, expectedMD5: String = officialBinaryMD5,
        progress: (Int64, Int64?) -> Void
    ) throws -> URL {
        let folder = directory.appending(path: binaryFolderName, directoryHint: .isDirectory)
        if FileReading.exists(batchURL(folder, "data_batch_1", .binary)) { return folder }
        // An empty folder (made by hand, say) is simply replaced; `rmdir` cannot remove anything else.
        rmdir(folder.path)
        if FileManager.default.fileExists(atPath: folder.path) {
            throw DatasetError.unrecognizedLayout(folder, reason: "exists but holds no data_batch_1.bin; move it "
                + "away (or delete it) so that a fresh copy can be unpacked there")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DatasetError.missingFile(directory, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        let handCopy = directory.appending(path: url.lastPathComponent)
        let downloaded = !FileReading.exists(handCopy)
        let archive = downloaded ? directory.appending(path: url.lastPathComponent + ".part") : handCopy
        if downloaded {
            try DatasetDownload.fetch(url, to: archive, progress: progress)
        }
        defer { if downloaded { unlink(archive.path) } }
        let found = try MD5.hexDigest(ofFile: archive)
        guard found == expectedMD5.lowercased() else {
            throw DownloadError.checksumMismatch(downloaded ? url : archive, expected: expectedMD5.lowercased(),
                                                 found: found, removed: downloaded)
        }
        try unpack(archive, into: directory, folder: folder)
        return folder
    }

    /// Unpacks the verified `archive` into a staging folder in `directory` and moves its
    /// `cifar-10-batches-bin` to `folder`.
    private static func unpack(_ archive: URL, into directory: URL, folder: URL) throws {
        let staging = directory.appending(path: ".cifar-10-unpacking-\(UUID().uuidString.prefix(8))",
                                          directoryHint: .isDirectory)
        defer { try? FileManager.default.removeItem(at: staging) }
        // 162 MB compressed and 185 MB unpacked: inflating in memory is simpler than streaming, and the
        // compressed bytes are released before the files are written.
        let tar = try Gzip.decompress(FileReading.bytes(of: archive), source: archive)
        try TarArchive.extract(tar, to: staging, source: archive)
        let unpacked = staging.appending(path: binaryFolderName, directoryHint: .isDirectory)
        guard FileReading.exists(batchURL(unpacked, "data_batch_1", .binary)) else {
            throw DatasetError.malformed(archive, reason: "the archive holds no \(binaryFolderName)/data_batch_1.bin, "
                + "so it is not the binary version of CIFAR-10")
        }
        do {
            try FileManager.default.moveItem(at: unpacked, to: folder)
        } catch {
            throw DatasetError.missingFile(folder, reason: "cannot move the unpacked files into place: \(error.localizedDescription)")
        }
    }
}
