import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of a long run: the step, epoch, last cost and accuracies, and the estimated time left.
///
/// Semantics:
/// - On a terminal (standard error is one) the line is redrawn in place on standard error, at most ten
///   times a second.
/// - Off a terminal (CI, a log file, a pipe) it prints one plain line per evaluation on standard output
///   (line-buffered, see `runProgram`), so a redirected log follows the run as it goes.
/// - `Style.automatic` is the one of the two that fits standard error; `.none` silences it everywhere.
public struct ProgressReporter: Sendable {
    /// How progress is shown (`backprop train --progress bar|lines|none`).
    public enum Style: String, Sendable, Equatable, CaseIterable {
        /// One line redrawn in place (a terminal).
        case bar
        /// One line per evaluation (a log).
        case lines
        case none

        /// `bar` when standard error is a terminal, `lines` otherwise.
        public static var automatic: Style { isatty(STDERR_FILENO) != 0 ? .bar : .lines }
    }

    public let label: String
    public let totalSteps: Int
    public let style: Style
    public var isEnabled: Bool { style != .none }
    private let start = Date()
    private var lastDraw = Date.distantPast

    public init(label: String, totalSteps: Int, quiet: Bool = false) {
        self.init(label: label, totalSteps: totalSteps, style: quiet ? .none : .automatic)
    }

    public init(label: String, totalSteps: Int, style: Style) {
        self.label = label
        self.totalSteps = totalSteps
        self.style = style
    }

    /// Redraws the line (rate-limited to 10 per second unless `force`); as lines, prints one for each
    /// evaluation (`force`).
    public mutating func update(step: Int, epoch: Double, record: EvaluationRecord?, force: Bool = false) {
        guard isEnabled, style == .bar || force else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(start)
        let fraction = Double(step) / Double(max(totalSteps, 1))
        let left = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        var line = "\(label) step \(step)/\(totalSteps) epoch \(String(format: "%.2f", epoch))"
        if let record {
            line += String(format: " cost %.4f train acc %.2f%%", record.train.cost, 100 * record.train.accuracy)
            if let validation = record.validation {
                line += String(format: " val acc %.2f%%", 100 * validation.accuracy)
            }
        }
        line += " \(ProgressReporter.clock(elapsed)) elapsed, \(ProgressReporter.clock(left)) left"
        if style == .lines {
            print(line)
        } else {
            FileHandle.standardError.write(Foundation.Data(("\r\u{1B}[K" + line).utf8))
        }
    }

    /// Ends the line so that later output starts on a fresh one.
    public func finish() {
        guard style == .bar else { return }
        FileHandle.standardError.write(Foundation.Data("\n".utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
