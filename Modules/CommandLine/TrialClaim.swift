import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One process's claim on one trial of a search, so that several processes running the same search (on
/// one machine, or on cluster nodes sharing a file system) share its trials instead of each training
/// all of them.
///
/// The claim is the file `claim.json` in the trial's directory, created exclusively (`O_EXCL`), so of
/// two processes only one gets it. It names its holder's host and process.
///
/// Semantics:
/// - `take(in:)` returns the claim, or nil when another live claim holds the trial.
/// - A claim is live while its holder refreshes it: the holder touches the file every `staleAfter / 10`
///   seconds. A claim untouched for `staleAfter`, or held by a process of this host that no longer
///   exists, is stale: it is renamed away (so that of two processes taking it over, only one can) and
///   claimed anew.
/// - `release()` removes the file; the holder calls it once the trial's `trial.json` is written, or the
///   trial failed. A claim is used by the thread that took it.
final class TrialClaim {
    static let fileName = "claim.json"

    private let path: String
    private let heartbeat: any DispatchSourceTimer

    private init(path: String, refreshEvery seconds: Double) {
        self.path = path
        heartbeat = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        heartbeat.schedule(deadline: .now() + seconds, repeating: seconds)
        heartbeat.setEventHandler { _ = utime(path, nil) }
        heartbeat.resume()
    }

    /// Claims the trial whose directory is `directory` (created if needed).
    ///
    /// - Parameter staleAfter: the seconds after which an untouched claim is taken over.
    /// - Returns: the claim, or nil when another process holds a live one.
    static func take(in directory: URL, staleAfter: Double = 300) throws -> TrialClaim? {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(fileName).path
        for _ in 0..<2 {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                let holder = "{\"host\": \"\(hostName)\", \"pid\": \(getpid())}\n"
                _ = holder.withCString { write(descriptor, $0, strlen($0)) }
                close(descriptor)
                return TrialClaim(path: path, refreshEvery: staleAfter / 10)
            }
            guard errno == EEXIST else {
                throw CLIError.failed("cannot claim the trial in \(directory.path): \(String(cString: strerror(errno)))")
            }
            guard isStale(path, staleAfter: staleAfter) else { return nil }
            // Renamed, not removed: a second process taking over the same stale claim finds it gone.
            let aside = "\(path).stale-\(getpid())"
            guard rename(path, aside) == 0 else { continue }
            unlink(aside)
        }
        return nil
    }

    /// Removes the claim and stops refreshing it.
    func release() {
        heartbeat.cancel()
        unlink(path)
    }

    /// Whether the claim at `path` is stale: untouched for `staleAfter` seconds, or held by a process
    /// of this host that no longer exists. A claim just created (not yet written) is live.
    static func isStale(_ path: String, staleAfter: Double) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        #if canImport(Darwin)
        let modified = status.st_mtimespec.tv_sec
        #else
        let modified = status.st_mtim.tv_sec
        #endif
        let age = Date().timeIntervalSince1970 - Double(modified)
        if age > staleAfter { return true }
        guard let data = FileManager.default.contents(atPath: path),
              let holder = try? JSONDecoder().decode(Holder.self, from: data), holder.host == hostName
        else { return false }
        return kill(pid_t(holder.pid), 0) != 0 && errno == ESRCH
    }

    private struct Holder: Decodable {
        var host: String
        var pid: Int32
    }

    /// This machine's name, to tell its own processes from those of other nodes.
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
