import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The data files a process has read, kept in memory so that each is read (and decompressed) once.
///
/// A program that loads several splits of the same files (Assignment 2 loads batch 1 for three stages,
/// all five batches for the search and again for the final model) passes one cache to every load: each
/// file is then read from disk once, and each load only widens the cached bytes into its own `Float`
/// features (at memory speed, on both cores), which it needs anyway since each split is standardised
/// with its own statistics.
///
/// ```swift
/// let files = DataFileCache()
/// let small = try configuration.load(cache: files)     // reads data_batch_1, _2 and test_batch
/// let pool = try searchData.load(cache: files)         // reads only data_batch_3 … _5
/// ```
///
/// Semantics:
/// - an entry is the file's contents as its reader wants them (gunzipped for `.gz` files), keyed by
///   the file's path, size and modification time: a file changed on disk is read again;
/// - the cache holds what it read until it is released (all of CIFAR-10 is 184 MB); it is a reference
///   shared by the loads given it, safe to use from several threads.
public final class DataFileCache: @unchecked Sendable {
    private struct Key: Hashable {
        var path: String
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
    }

    private var entries: [Key: [UInt8]] = [:]
    private let lock = NSLock()

    public init() {}

    /// The bytes the cache holds.
    public var byteCount: Int {
        lock.withLock { entries.values.reduce(0) { $0 + $1.count } }
    }

    /// The files it has read, by path.
    public var paths: [String] {
        lock.withLock { entries.keys.map(\.path).sorted() }
    }

    /// `read(url)`, once per version of the file: later calls return the kept bytes while the file's
    /// size and modification time are unchanged. A file that cannot be examined is read, not kept.
    func contents(of url: URL, read: (URL) throws -> [UInt8]) throws -> [UInt8] {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return try read(url) }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        let key = Key(path: url.standardizedFileURL.path, size: Int64(info.st_size), modifiedSeconds: Int(modified.tv_sec),
                      modifiedNanoseconds: Int(modified.tv_nsec))
        if let kept = lock.withLock({ entries[key] }) { return kept }
        let bytes = try read(url)
        lock.withLock {
            entries = entries.filter { $0.key.path != key.path }
            entries[key] = bytes
        }
        return bytes
    }
}

extension Optional where Wrapped == DataFileCache {
    /// The contents of `url` through the cache, or straight from `read` without one.
    func contents(of url: URL, read: (URL) throws -> [UInt8]) throws -> [UInt8] {
        switch self {
        case .some(let cache): try cache.contents(of: url, read: read)
        case .none: try read(url)
        }
    }
}
