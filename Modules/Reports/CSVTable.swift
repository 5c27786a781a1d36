import Foundation

/// A table of named columns and rows of text or numbers, rendered as CSV or as a Markdown table.
///
/// Runs write their learning curves and λ searches as CSV for spreadsheets and pandas, and the same
/// table as Markdown for the report and the README.
///
/// ```swift
/// var table = CSVTable(columns: ["lambda", "accuracy"])
/// table.append([0.001, 0.3871])
/// try AtomicFile.write(table.render(), to: run.appendingPathComponent("search.csv"))
/// ```
///
/// Numbers are printed in full precision with Swift's shortest round-trip spelling (`0.1`, `1e-05`,
/// `0.30000000000000004`), so that reading the file back gives exactly the `Double` that was written.
/// Non-finite numbers are written `nan`, `inf` and `-inf`, which `pandas.read_csv`, `numpy.genfromtxt`
/// and Python's `float` all read back as the same values; an absent value is `.empty`, an empty field.
public struct CSVTable: Sendable, Equatable {
    /// One field of a table.
    public enum Cell: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
        ExpressibleByIntegerLiteral
    {
        case text(String)
        case number(Double)
        case integer(Int)
        case empty

        public init(stringLiteral value: String) { self = .text(value) }
        public init(floatLiteral value: Double) { self = .number(value) }
        public init(integerLiteral value: Int) { self = .integer(value) }

        /// The field's text before any quoting: numbers in shortest round-trip form.
        public var text: String {
            switch self {
            case let .text(text): return text
            case let .number(value): return "\(value)"
            case let .integer(value): return "\(value)"
            case .empty: return ""
            }
        }

        /// The text for people: numbers with `significantDigits` significant digits (`%.*g`) when
        /// given, otherwise as `text`.
        func text(significantDigits: Int?) -> String {
            if case let .number(value) = self, let digits = significantDigits, value.isFinite {
                return String(format: "%.*g", Int32(max(1, min(17, digits))), value)
            }
            return text
        }

        var isNumeric: Bool {
            switch self {
            case .number, .integer: return true
            case .text, .empty: return false
            }
        }
    }

    /// The column names, written as the header line.
    public var columns: [String]
    /// The rows; each has one cell per column.
    public private(set) var rows: [[Cell]]

    /// A table with the given header and rows; every row must have `columns.count` cells.
    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = []
        for row in rows { append(row) }
    }

    /// Appends a row of `columns.count` cells.
    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count,
                     "CSVTable: row of \(row.count) cells for \(columns.count) columns \(columns)")
        rows.append(row)
    }

    // MARK: - CSV

    /// The table as CSV: a header line, then one line per row, each ended by `\n`.
    ///
    /// Fields are quoted as RFC 4180 says: a field holding a comma, a double quote, a carriage return or
    /// a newline is wrapped in double quotes, with each double quote inside doubled. Lines end in LF
    /// rather than RFC 4180's CRLF, as Unix tools and Git expect; every CSV reader accepts both.
    public func render() -> String {
        var lines = [columns.map(Self.quoted).joined(separator: ",")]
        for row in rows {
            lines.append(row.map { Self.quoted($0.text) }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `render()` to `url` atomically, creating parent directories.
    ///
    /// - Throws: `ReportFileError.cannotWrite` naming the path.
    public func write(to url: URL) throws {
        try AtomicFile.write(render(), to: url)
    }

    static func quoted(_ field: String) -> String {
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Markdown

    /// The table as a GitHub-flavoured Markdown table.
    ///
    /// Columns whose cells are all numbers (or empty) are right-aligned. A `|` in a cell is escaped as
    /// `\|` and line breaks become `<br>`, so that a cell never breaks the table.
    ///
    /// - Parameter significantDigits: when given, numbers are shown with that many significant digits
    ///   (`%.*g`) for reading; by default they are printed in full, exactly as in the CSV.
    public func markdown(significantDigits: Int? = nil) -> String {
        let numericColumns = self.numericColumns
        func line(_ cells: [String]) -> String {
            "| " + cells.map(Self.markdownEscaped).joined(separator: " | ") + " |"
        }
        var lines = [line(columns)]
        lines.append("|" + numericColumns.map { $0 ? " ---: |" : " --- |" }.joined())
        for row in rows {
            lines.append(line(row.map { $0.text(significantDigits: significantDigits) }))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// For each column, whether it holds numbers (and possibly empty cells) only, to right-align it.
    var numericColumns: [Bool] {
        columns.indices.map { column in
            rows.allSatisfy { $0[column].isNumeric || $0[column] == .empty }
                && rows.contains { $0[column].isNumeric }
        }
    }

    static func markdownEscaped(_ cell: String) -> String {
        cell.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r\n", with: "<br>")
            .replacingOccurrences(of: "\n", with: "<br>")
            .replacingOccurrences(of: "\r", with: "<br>")
    }
}
