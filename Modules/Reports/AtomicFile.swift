import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers see either the old content or the complete new content, never a part.
///
/// A run writes its reports while it trains, and may be killed at any moment (Ctrl-C, a time limit).
/// Writing into a temporary file in the target's directory, flushing it to disk and then renaming it over
/// the target makes the replacement atomic: POSIX `rename` within one file system swaps the directory
/// entry in one step. Parent directories are created as needed.
///
/// ```swift
/// try AtomicFile.write("epoch,loss\n1,2.3\n", to: runDirectory.appendingPathComponent("history.csv"))
/// ```
///
/// If anything fails, the temporary file is removed and the target is left as it was.
public enum AtomicFile {
    /// Replaces the file at `url` with `data`, creating parent directories.
    ///
    /// - Throws: `ReportFileError.cannotWrite` naming the path and the system's reason.
    public static func write(_ data: Data, to url: URL) throws {
        let target = url.standardizedFileURL
        let path = target.path
        let directory = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportFileError.cannotWrite(
                path: path, reason: "cannot create directory \(directory.path): \(error.localizedDescription)")
        }
        let temporary = directory.appendingPathComponent(
            ".\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ReportFileError.cannotWrite(path: path, reason: systemReason())
        }
        var failure: String?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = posixWrite(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = systemReason()
                    return
                }
                offset += written
            }
        }
        // Flush before the rename: otherwise a power loss could leave the new name on empty content.
        if failure == nil, fsync(descriptor) != 0 { failure = systemReason() }
        if close(descriptor) != 0, failure == nil { failure = systemReason() }
        if failure == nil, rename(temporary, path) != 0 { failure = systemReason() }
        if let failure {
            unlink(temporary)
            throw ReportFileError.cannotWrite(path: path, reason: failure)
        }
        syncDirectory(directory.path)
    }

    /// Replaces the file at `url` with `text` encoded as UTF-8, creating parent directories.
    ///
    /// - Throws: `ReportFileError.cannotWrite` naming the path and the system's reason.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Removes the temporary files that writers killed before their rename left in `directory`
    /// (`.<name>.tmp-<pid>-<random>`, see `write`), and returns their names.
    ///
    /// Only a file whose process no longer exists is removed: one of a live process (this one, or
    /// another run writing into the same directory) may still be renamed into place. A process ID that
    /// has been reused keeps its file, which is the safe mistake. Best effort: a directory that cannot be
    /// listed, or a file that cannot be removed, is left as it is.
    @discardableResult
    public static func removeStaleTemporaries(in directory: URL) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        var removed: [String] = []
        for name in names {
            guard let pid = writerProcess(ofTemporary: name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            if unlink(directory.appendingPathComponent(name).path) == 0 { removed.append(name) }
        }
        return removed.sorted()
    }

    /// The process ID in a temporary file's name `.<name>.tmp-<pid>-<random>`, or nil for any other name.
    static func writerProcess(ofTemporary name: String) -> pid_t? {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards) else { return nil }
        let fields = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count == 2, let pid = pid_t(fields[0]), pid > 0, UInt32(fields[1]) != nil else { return nil }
        return pid
    }

    /// Makes the rename itself durable; best effort, since some file systems refuse to open directories.
    private static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}

/// The C library's `write(2)`, named so that it cannot be confused with `AtomicFile.write`.
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}
