import Foundation

/// A run's learning curves read back from its `history.csv` (see `RunReport.historyTable(_:)`): the
/// learning rate of every update step and the figures of every evaluation.
///
/// Semantics:
/// - Each column is a list of `(step, value)` points, in the file's order, holding only the rows where
///   the column has a value (evaluations are every so many steps, rates every step).
/// - `nan`, `inf` and `-inf` are read as such (a diverged run); charts skip them.
/// - The file is read through `InputFile`, which bounds its size; a missing `step` column, a row of
///   the wrong width or a cell that is not a number is an error naming the file and line.
public struct RunCurves: Sendable {
    /// The columns read, by their `history.csv` names.
    public static let columns = [
        "learning_rate", "train_loss", "train_cost", "train_accuracy",
        "validation_loss", "validation_cost", "validation_accuracy",
    ]

    /// The points of each column of ``columns`` the file has, by column name.
    public var points: [String: [(x: Double, y: Double)]]

    /// Curves with the given points.
    public init(points: [String: [(x: Double, y: Double)]] = [:]) {
        self.points = points
    }

    /// The points of `column`, empty when the file had none.
    public subscript(column: String) -> [(x: Double, y: Double)] {
        points[column] ?? []
    }

    /// Reads `history.csv` in `directory`.
    ///
    /// - Throws: `ReportFileError.cannotRead` naming the file.
    public static func read(from directory: URL) throws -> RunCurves {
        let file = directory.appendingPathComponent("history.csv")
        let data = try InputFile.data(of: file, maximumSize: 256 << 20)
        return try parse(String(decoding: data, as: UTF8.self), path: file.path)
    }

    /// The curves in `text`, CSV with a header line as `RunReport.historyTable(_:)` writes it.
    ///
    /// - Parameters:
    ///   - text: the file's content.
    ///   - path: the file's path, for errors.
    /// - Throws: `ReportFileError.cannotRead` naming `path` and the line.
    public static func parse(_ text: String, path: String) throws -> RunCurves {
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).makeIterator()
        guard let header = lines.next() else { throw ReportFileError.cannotRead(path: path, reason: "it is empty") }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let stepColumn = names.firstIndex(of: "step") else {
            throw ReportFileError.cannotRead(path: path, reason: "its header has no 'step' column: not a run's history")
        }
        let wanted = columns.compactMap { name in names.firstIndex(of: name).map { (name, $0) } }
        var points: [String: [(x: Double, y: Double)]] = [:]
        var lineNumber = 1
        while let line = lines.next() {
            lineNumber += 1
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == names.count else {
                throw ReportFileError.cannotRead(
                    path: path, reason: "line \(lineNumber) has \(cells.count) fields for \(names.count) columns")
            }
            guard let step = Double(cells[stepColumn]), step.isFinite else {
                throw ReportFileError.cannotRead(path: path, reason: "line \(lineNumber): the step '\(cells[stepColumn])' is not a number")
            }
            for (name, column) in wanted where !cells[column].isEmpty {
                guard let value = Double(cells[column]) else {
                    throw ReportFileError.cannotRead(
                        path: path, reason: "line \(lineNumber): \(name) '\(cells[column].prefix(40))' is not a number")
                }
                points[name, default: []].append((step, value))
            }
        }
        return RunCurves(points: points)
    }
}
