import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads for the data readers, with errors that name the file.
///
/// Every whole-file read has a size limit checked from the file's size before anything is allocated.
///
/// Data files are read in one piece straight into a byte array (no `Data` round trip), because the
/// readers then convert the bytes in one tight pass; 150 MB of CIFAR-10 is read this way in a fraction
/// of a second.
enum FileReading {
    /// The size of the file in bytes.
    static func size(of url: URL) throws -> Int {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            throw DatasetError.missingFile(url, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            throw DatasetError.missingFile(url, reason: "it is a directory, not a data file")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DatasetError.missingFile(url, reason: "not a regular file")
        }
        return Int(info.st_size)
    }

    /// The largest file read whole by default: 1 GiB, five times all of CIFAR-10, so that a huge (or
    /// sparse) file is an error instead of an allocation that fails or exhausts memory.
    static let defaultMaximumSize = 1 << 30

    /// The whole content of the file, which may be at most `maximumSize` bytes (checked before reading).
    static func bytes(of url: URL, maximumSize: Int = defaultMaximumSize) throws -> [UInt8] {
        let expected = try size(of: url)
        guard expected <= maximumSize else {
            throw DatasetError.malformed(url, reason: "the file is \(expected) bytes, more than the \(maximumSize) "
                + "bytes this reader accepts; is it the right file?")
        }
        if expected == 0 { return [] }
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw DatasetError.missingFile(url, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
            while initialized < expected {
                let n = read(descriptor, buffer.baseAddress! + initialized, expected - initialized)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failure = String(cString: strerror(errno)) }
                if n <= 0 { break }
                initialized += n
            }
        }
        if let failure { throw DatasetError.missingFile(url, reason: "read failed: \(failure)") }
        guard bytes.count == expected else {
            throw DatasetError.truncated(url, expected: expected, found: bytes.count)
        }
        return bytes
    }

    /// Whether a regular file exists at `url`.
    static func exists(_ url: URL) -> Bool {
        var info = stat()
        return stat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
