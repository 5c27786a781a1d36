import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress display for long runs, redrawn in place on a terminal.
///
/// On a terminal it shows the step, epoch, last cost and accuracies and the estimated time left, at
/// most a few times a second. When standard error is not a terminal (CI, a log file, a pipe) it prints
/// nothing, so logs stay clean; `quiet` silences it everywhere.
public struct ProgressReporter: Sendable {
    public let label: String
    public let totalSteps: Int
    public let isEnabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast

    public init(label: String, totalSteps: Int, quiet: Bool = false) {
        self.label = label
        self.totalSteps = totalSteps
        self.isEnabled = !quiet && isatty(STDERR_FILENO) != 0
    }

    /// Redraws the line (rate-limited to 10 per second unless `force`).
    public mutating func update(step: Int, epoch: Double, record: EvaluationRecord?, force: Bool = false) {
        guard isEnabled else { return }
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
        FileHandle.standardError.write(Foundation.Data(("\r\u{1B}[K" + line).utf8))
    }

    /// Ends the line so that later output starts on a fresh one.
    public func finish() {
        guard isEnabled else { return }
        FileHandle.standardError.write(Foundation.Data("\n".utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
