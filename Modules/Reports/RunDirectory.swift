import Foundation

/// Names and creates the directory of a new run: `<base>/<name>-<yyyyMMdd-HHmmss>`, never reusing one.
///
/// Semantics:
/// - The directory is new: it is made with one `mkdir`, which fails if the name exists, and the next
///   suffix (`-2`, `-3`, …) is tried then; two runs started in the same second, even in two processes,
///   get two directories.
/// - The name is made safe first (`safeName(_:)`): it never leaves `base`.
public enum RunDirectory {
    /// Creates a fresh directory for a run named `name` under `base`.
    ///
    /// - Throws: `ReportFileError.cannotWrite` when the directory cannot be created.
    public static func create(under base: URL, name: String, date: Date = Date()) throws -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stem = "\(safeName(name))-\(formatter.string(from: date))"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: base.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ReportFileError.cannotWrite(path: base.path, reason: "it is a file; runs go in a directory")
        }
        do {
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        } catch {
            throw ReportFileError.cannotWrite(path: base.path, reason: error.localizedDescription)
        }
        var candidate = base.appendingPathComponent(stem)
        var suffix = 2
        while mkdir(candidate.path, 0o755) != 0 {
            guard errno == EEXIST, suffix < 10_000 else {
                throw ReportFileError.cannotWrite(path: candidate.path, reason: String(cString: strerror(errno)))
            }
            candidate = base.appendingPathComponent("\(stem)-\(suffix)")
            suffix += 1
        }
        return candidate
    }

    /// `name` as one path component that stays where it is put: letters, digits, `-`, `_` and `.`
    /// kept, anything else (`/` included) made `-`, and a name of dots alone (`..`) or nothing made `run`.
    public static func safeName(_ name: String) -> String {
        let safe = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" })
        return safe.allSatisfy { $0 == "." } ? "run" : safe
    }
}
