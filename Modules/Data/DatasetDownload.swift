import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Synchronous file downloads with progress, for fetching data-set archives.
///
/// `http` and `https` addresses go through `URLSession` (redirects followed, no transparent
/// decompression, one minute without data ends the transfer); `file` addresses are copied, which is how
/// the tests exercise everything but the network. `progress` is always called on the calling thread,
/// so it needs no synchronisation.
///
/// ```swift
/// try DatasetDownload.fetch(url, to: directory.appending(path: "archive.tar.gz.part")) { done, total in
///     print(done, total ?? -1)
/// }
/// ```
public enum DatasetDownload {
    /// Writes the resource at `url` to `destination` (replacing it), calling `progress(bytesSoFar,
    /// totalBytes)` as it arrives; `totalBytes` is nil when the server does not say.
    ///
    /// On failure the partial file is deleted.
    ///
    /// - Throws: `DownloadError.network` or `.httpStatus` naming `url` and the manual steps (with
    ///   `destination`'s folder as the place for a hand-downloaded copy).
    public static func fetch(_ url: URL, to destination: URL, progress: (Int64, Int64?) -> Void) throws {
        do {
            if url.isFileURL {
                try copy(url, to: destination, progress: progress)
            } else {
                try transfer(url, to: destination, progress: progress)
            }
        } catch {
            unlink(destination.path)
            throw error
        }
    }

    // MARK: - Local files

    private static func copy(_ url: URL, to destination: URL, progress: (Int64, Int64?) -> Void) throws {
        let folder = destination.deletingLastPathComponent()
        func failure(_ what: String) -> DownloadError {
            .network(url, destination: folder, reason: "\(what): \(String(cString: strerror(errno)))")
        }
        let input = open(url.path, O_RDONLY)
        guard input >= 0 else { throw failure("cannot open \(url.path)") }
        defer { close(input) }
        var info = stat()
        let total = fstat(input, &info) == 0 ? Int64(info.st_size) : nil
        let output = open(destination.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard output >= 0 else { throw failure("cannot create \(destination.path)") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var copied: Int64 = 0
        progress(0, total)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw failure("cannot read \(url.path)") }
            if count == 0 { break }
            var written = 0
            while written < count {
                let n = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, count - written) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw failure("cannot write \(destination.path)") }
                written += n
            }
            copied += Int64(count)
            progress(copied, total)
        }
    }

    // MARK: - HTTP

    private static func transfer(_ url: URL, to destination: URL, progress: (Int64, Int64?) -> Void) throws {
        let folder = destination.deletingLastPathComponent()
        guard FileManager.default.createFile(atPath: destination.path, contents: nil),
              let output = FileHandle(forWritingAtPath: destination.path) else {
            throw DownloadError.network(url, destination: folder, reason: "cannot create \(destination.path): "
                + String(cString: strerror(errno)))
        }
        defer { try? output.close() }
        let delegate = TransferDelegate(url: url, folder: folder, output: output)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        configuration.timeoutIntervalForResource = 6 * 3600
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url)
        // The checksum is of the bytes as published: a server must not gzip the .gz a second time.
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        session.dataTask(with: request).resume()
        var reported: Int64 = -1
        while true {
            let finished = delegate.done.wait(timeout: .now() + .milliseconds(200)) == .success
            let (received, total, failure) = delegate.snapshot()
            if received != reported, failure == nil {
                progress(received, total)
                reported = received
            }
            guard finished else { continue }
            if let failure { throw failure }
            return
        }
    }
}

/// The URLSession delegate of one transfer: appends the data to the output file and records how much
/// arrived and how it ended, under a lock because the caller's thread reads it.
private final class TransferDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    private let url: URL
    private let folder: URL
    private let output: FileHandle
    private let lock = NSLock()
    private var received: Int64 = 0
    private var total: Int64?
    private var failure: DownloadError?

    init(url: URL, folder: URL, output: FileHandle) {
        self.url = url
        self.folder = folder
        self.output = output
    }

    func snapshot() -> (Int64, Int64?, DownloadError?) {
        lock.withLock { (received, total, failure) }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            lock.withLock { failure = .httpStatus(url, destination: folder, status: http.statusCode) }
            completionHandler(.cancel)
            return
        }
        let expected = response.expectedContentLength
        lock.withLock { total = expected >= 0 ? expected : nil }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        do {
            try output.write(contentsOf: data)
            lock.withLock { received += Int64(data.count) }
        } catch {
            lock.withLock {
                failure = failure ?? .network(url, destination: folder, reason: "cannot write the download: \(error.localizedDescription)")
            }
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.withLock {
            if let error, failure == nil {
                failure = .network(url, destination: folder, reason: error.localizedDescription)
            } else if failure == nil, let total, received != total {
                failure = .network(url, destination: folder, reason: "the transfer ended after \(received) of \(total) bytes")
            }
        }
        done.signal()
    }
}
