import Foundation

/// Names and creates the directory of a new run: `<base>/<name>-<yyyyMMdd-HHmmss>`, never reusing one.
public enum RunDirectory {
    /// Creates a fresh directory for a run named `name` under `base`.
    ///
    /// - Throws: `ReportFileError.cannotWrite` when the directory cannot be created.
    public static func create(under base: URL, name: String, date: Date = Date()) throws -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let safeName = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" })
        let stem = "\(safeName)-\(formatter.string(from: date))"
        var candidate = base.appendingPathComponent(stem)
        var suffix = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = base.appendingPathComponent("\(stem)-\(suffix)")
            suffix += 1
        }
        do {
            try FileManager.default.createDirectory(at: candidate, withIntermediateDirectories: true)
        } catch {
            throw ReportFileError.cannotWrite(path: candidate.path, reason: error.localizedDescription)
        }
        return candidate
    }
}
