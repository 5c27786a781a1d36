import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The progress line of a download: redrawn in place on a terminal, a line every 10% in a log.
///
/// On a terminal each update that changes the shown percentage (or, without a known size, each
/// further megabyte) redraws the line with `\r` and an erase-to-end; in a log file or CI output, where
/// `\r` would pile up, a whole line is written at 10%, 20%, … (or every 10 MB). The formatting is a
/// pure function of the updates so it can be tested; `standardError(label:)` wires it to stderr.
///
/// ```swift
/// var line = DownloadProgressLine(label: "cifar-10-binary.tar.gz", isTerminal: false)
/// line.update(bytes: 17_000_000, total: 170_498_071)  // "cifar-10-binary.tar.gz: 10% (17.0 of 170.5 MB)\n"
/// ```
public struct DownloadProgressLine: Sendable {
    public var label: String
    public var isTerminal: Bool
    /// The last step written: a percentage on a terminal, a tenth otherwise (or megabytes, resp. tens
    /// of megabytes, without a total).
    private var lastStep: Int64 = -1
    private var drewOnTerminal = false

    public init(label: String, isTerminal: Bool) {
        self.label = label
        self.isTerminal = isTerminal
    }

    /// The text to write for this update, or nil when the line would not change.
    public mutating func update(bytes: Int64, total: Int64?) -> String? {
        let known = total.flatMap { $0 > 0 ? $0 : nil }
        let step: Int64 = switch (known, isTerminal) {
        case let (total?, true): min(100, bytes * 100 / total)
        case let (total?, false): min(10, bytes * 10 / total)
        case (nil, true): bytes / 1_000_000
        case (nil, false): bytes / 10_000_000
        }
        guard step > lastStep else { return nil }
        // In a log the first line is the 0% one; later lines come only at a new tenth.
        lastStep = step
        let megabytes = Self.megabytes(bytes)
        let text = known.map { "\(label): \(min(100, bytes * 100 / $0))% (\(megabytes) of \(Self.megabytes($0)) MB)" }
            ?? "\(label): \(megabytes) MB"
        if isTerminal {
            drewOnTerminal = true
            return "\r\u{1B}[K" + text
        }
        return text + "\n"
    }

    /// The text that ends the line: a newline on a terminal once something was drawn, else nothing.
    public mutating func finish() -> String? {
        defer { drewOnTerminal = false }
        return drewOnTerminal ? "\n" : nil
    }

    /// Bytes as megabytes (10⁶, as download sizes are quoted) with one decimal.
    static func megabytes(_ bytes: Int64) -> String {
        let tenths = (bytes + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// A progress callback that writes the line to standard error, redrawing it in place when standard
    /// error is a terminal; and a function that ends the line.
    public static func standardError(label: String) -> (progress: (Int64, Int64?) -> Void, finish: () -> Void) {
        var line = DownloadProgressLine(label: label, isTerminal: isatty(STDERR_FILENO) != 0)
        func write(_ text: String?) {
            if let text { FileHandle.standardError.write(Foundation.Data(text.utf8)) }
        }
        return ({ bytes, total in write(line.update(bytes: bytes, total: total)) },
                { write(line.finish()) })
    }
}
