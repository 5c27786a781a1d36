import Foundation

/// The runs found under a folder (`backprop runs`): each with its name, date, data (as configured and
/// the examples used), final test accuracy and status, as a table for the terminal and as the page `index.html` in that folder.
///
/// ```swift
/// let index = try RunIndex.scan(URL(fileURLWithPath: "runs"))
/// print(index.terminalTable(), terminator: "")
/// try index.write()   // runs/index.html
/// ```
///
/// Semantics:
/// - Folders are searched down to `maximumDepth` levels (runs of `Assignment2` are one level down,
///   search trials three). A run directory (`RunSummary.read(_:)`) is listed and not searched further;
///   other folders are searched but not listed; hidden folders, `checkpoint/` folders and symbolic
///   links are skipped. At most `maximumFolders` folders are looked at.
/// - Runs are listed oldest first (by `RunSummary.date`), then by path.
/// - A damaged `metrics.json` is listed with its reason, never an error.
public struct RunIndex: Sendable {
    /// The folder searched.
    public var base: URL
    /// The runs found, oldest first.
    public var runs: [RunSummary]

    /// The index of `runs` found under `base`.
    public init(base: URL, runs: [RunSummary]) {
        self.base = base
        self.runs = runs
    }

    /// The file name of the page written in `base`.
    public static let fileName = "index.html"
    /// How many folders a scan looks at, at most, so that a mistaken `/` ends.
    public static let maximumFolders = 20_000

    /// Finds the runs under `base`.
    ///
    /// - Parameters:
    ///   - base: the folder to search (`runs`).
    ///   - maximumDepth: how many levels of folders under `base` are searched.
    /// - Throws: `ReportFileError.cannotRead` when `base` is not a readable folder.
    public static func scan(_ base: URL, maximumDepth: Int = 4) throws -> RunIndex {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base.path, isDirectory: &isDirectory) else {
            throw ReportFileError.cannotRead(path: base.path, reason: "no such folder")
        }
        guard isDirectory.boolValue else {
            throw ReportFileError.cannotRead(path: base.path, reason: "it is a file; give the folder the runs are in")
        }
        let keys: [URLResourceKey] = [.isDirectoryKey, .isSymbolicLinkKey]
        var runs: [RunSummary] = []
        var pending: [(URL, Int)] = [(base, 0)]
        var visited = 0
        while let next = pending.popLast(), visited < maximumFolders {
            let (folder, depth) = next
            visited += 1
            let entries: [URL]
            do {
                entries = try FileManager.default.contentsOfDirectory(
                    at: folder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])
            } catch {
                if folder == base { throw ReportFileError.cannotRead(path: base.path, reason: error.localizedDescription) }
                continue
            }
            for entry in entries {
                let values = try? entry.resourceValues(forKeys: Set(keys))
                guard values?.isDirectory == true, values?.isSymbolicLink != true,
                      entry.lastPathComponent != "checkpoint" else { continue }
                if let run = RunSummary.read(entry) {
                    runs.append(run)
                } else if depth + 1 < maximumDepth {
                    pending.append((entry, depth + 1))
                }
            }
        }
        let index = RunIndex(base: base, runs: runs)
        return RunIndex(base: base, runs: runs.sorted { a, b in
            let (da, db) = (a.date ?? .distantPast, b.date ?? .distantPast)
            return da != db ? da < db : index.path(of: a) < index.path(of: b)
        })
    }

    /// Where `run` is, relative to `base` (`assignment2-…/a2-final-…`).
    public func path(of run: URL) -> String {
        RelativePath.from(base, to: run)
    }

    func path(of run: RunSummary) -> String { path(of: run.directory) }

    /// The cells of each run: path, date, data, test accuracy and status.
    ///
    /// - Parameter basePath: `base` as the user typed it, for the command of a run to resume.
    func rows(basePath: String) -> [[String]] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return runs.map { run in
            let location = path(of: run)
            let typed = basePath.hasSuffix("/") ? basePath + location : basePath + "/" + location
            let accuracy = run.testAccuracy.map(NumberKind.percent) ?? (run.status.hasFinalFigures ? "diverged" : "—")
            return [
                location, run.date.map { formatter.string(from: $0) + " UTC" } ?? "—", Self.data(of: run), accuracy,
                run.status.description(directory: typed),
            ]
        }
    }

    static let headers = ["run", "date", "data", "test accuracy", "status"]

    /// The data as configured and the examples used (training / validation / test), which a partial
    /// copy of the data set may have made fewer than configured.
    static func data(of run: RunSummary) -> String {
        let counts = run.exampleCounts.map { "used \($0.train) / \($0.validation) / \($0.test)" }
        return [run.dataSummary, counts].compactMap { $0 }.joined(separator: ", ").nonEmpty ?? "—"
    }

    /// The runs as a plain-text table with aligned columns, the status last, ended by a newline; a
    /// line saying so when there are none.
    ///
    /// - Parameter basePath: `base` as the user typed it (`runs`), for the commands shown.
    public func terminalTable(basePath: String? = nil) -> String {
        let basePath = basePath ?? base.path
        guard !runs.isEmpty else { return "no runs under \(basePath)\n" }
        let table = [Self.headers.map { $0.uppercased() }] + rows(basePath: basePath)
        let widths = Self.headers.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// The page: a table of the runs, each linked to its `report.html` when it has one.
    ///
    /// - Parameter basePath: `base` as the user typed it, for the commands shown.
    public func page(basePath: String? = nil) -> HTMLReport {
        var report = HTMLReport(title: "Backprop runs in \(base.lastPathComponent)")
        if runs.isEmpty {
            report.addParagraph("No runs under \(basePath ?? base.path) yet.")
            return report
        }
        let counts = Dictionary(grouping: runs, by: { Self.kind(of: $0.status) }).mapValues(\.count)
        let parts = ["finished", "diverged", "stopped", "in progress or interrupted", "unreadable"].compactMap { kind in
            counts[kind].map { "\($0) \(kind)" }
        }
        report.addParagraph("\(runs.count) run\(runs.count == 1 ? "" : "s"): \(parts.joined(separator: ", ")).")
        let links = runs.map { $0.hasReport ? path(of: $0) + "/report.html" : nil }
        report.addTable(headers: Self.headers, rows: rows(basePath: basePath ?? base.path), rowLinks: links)
        return report
    }

    static func kind(of status: RunStatus) -> String {
        switch status {
        case .finished: "finished"
        case .diverged: "diverged"
        case .stopped: "stopped"
        case .inProgress: "in progress or interrupted"
        case .unreadable: "unreadable"
        }
    }

    /// Writes ``page(basePath:)`` to `index.html` in `base` and returns its location.
    ///
    /// - Parameter basePath: `base` as the user typed it, for the commands shown.
    /// - Throws: `ReportFileError.cannotWrite` naming the file.
    @discardableResult
    public func write(basePath: String? = nil) throws -> URL {
        let file = base.appendingPathComponent(Self.fileName)
        try page(basePath: basePath).write(to: file)
        return file
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
