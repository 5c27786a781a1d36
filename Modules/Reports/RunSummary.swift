import BackpropRegistry
import Foundation

/// What one run directory says about its run, read from `metrics.json` (and `timing.json`) without
/// its parameters or history: enough for `backprop runs` to list it and `backprop compare` to set it
/// beside others.
///
/// Semantics:
/// - ``read(_:)`` returns nil for a folder that is not a run directory: one with no `metrics.json`,
///   no `checkpoint/` folder, and neither a run directory's name (`<name>-<yyyyMMdd-HHmmss>`) nor
///   emptiness of subfolders (a run that has just started has nothing in it yet).
/// - A run directory is never an error: a damaged `metrics.json` gives ``RunStatus/unreadable(_:)``
///   with the reason, naming the file. Every file is read through `JSONValue(contentsOf:)`, which
///   bounds its size and refuses devices.
/// - Figures that are absent or not finite (a diverged run's, written as `null`) are nil.
/// - The time is `timing.json`'s `seconds`, else `metrics.json`'s (runs written before
///   `timing.json` existed).
public struct RunSummary: Sendable {
    /// The run directory.
    public var directory: URL
    /// The experiment's name (`metrics.json`'s `name`), else the directory's name without its date.
    public var name: String
    /// When the run started: the date in the directory's name (UTC), else the time its files were
    /// last written.
    public var date: Date?
    /// How the run ended, or that it has not.
    public var status: RunStatus
    /// The final accuracies, as fractions.
    public var trainAccuracy: Double?
    public var validationAccuracy: Double?
    public var testAccuracy: Double?
    /// The final training cost (loss plus regularisation).
    public var finalCost: Double?
    /// The update steps planned.
    public var steps: Int?
    /// The seconds training took.
    public var seconds: Double?
    /// The data set and split as configured (`CIFAR-10 (batch 1 / batch 2 / test)`).
    public var dataSummary: String?
    /// The examples actually used: training, validation and test.
    public var exampleCounts: (train: Int, validation: Int, test: Int)?
    /// The run's settings by key path (see ``RunSettings``): the configuration's values, then the
    /// model, schedule, regularisers and data as built and used.
    public var settings: [String: String]

    /// A summary of a run that has written nothing yet, to be filled in.
    public init(directory: URL, name: String, status: RunStatus) {
        self.directory = directory
        self.name = name
        self.status = status
        self.settings = [:]
    }

    /// Whether `report.html` is in the directory, for a link to it.
    public var hasReport: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("report.html").path)
    }

    /// The run in `directory`, or nil when it is not a run directory.
    public static func read(_ directory: URL) -> RunSummary? {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        let metricsFile = directory.appendingPathComponent("metrics.json")
        let checkpoint = directory.appendingPathComponent("checkpoint")
        let stem = nameStem(directory.lastPathComponent)
        var summary = RunSummary(directory: directory, name: stem.name, status: .finished)
        summary.date = stem.date ?? modificationDate(of: directory)
        if manager.fileExists(atPath: metricsFile.path) {
            do {
                try summary.readMetrics(try JSONValue(contentsOf: metricsFile), file: metricsFile)
            } catch {
                summary.status = .unreadable("\(error)")
            }
            summary.date = stem.date ?? modificationDate(of: metricsFile) ?? summary.date
            return summary
        }
        if manager.fileExists(atPath: checkpoint.path, isDirectory: &isDirectory), isDirectory.boolValue {
            summary.status = .inProgress(resumable: true)
            return summary
        }
        guard stem.date != nil, !hasSubfolders(directory) else { return nil }
        summary.status = .inProgress(resumable: false)
        return summary
    }

    /// Fills the figures, status and settings in from `metrics.json`'s content.
    mutating func readMetrics(_ metrics: JSONValue, file: URL) throws {
        guard case .object(let m) = metrics else {
            throw ReportFileError.cannotRead(path: file.path, reason: "it is not a JSON object of a run's metrics")
        }
        guard m["test_accuracy"] != nil || m["config"] != nil else {
            throw ReportFileError.cannotRead(path: file.path, reason: "it holds neither test_accuracy nor config: not a run's metrics")
        }
        if case .string(let name)? = m["name"], !name.isEmpty { self.name = name }
        if let step = Self.number(m["diverged_at_step"]) {
            status = .diverged(atStep: Int(step))
        } else if case .object(let stop)? = m["stopped"] {
            let reason = if case .string(let text)? = stop["reason"] { text } else { "no reason given" }
            status = .stopped(atStep: Int(Self.number(stop["step"]) ?? 0), reason: reason)
        } else {
            status = .finished
        }
        trainAccuracy = Self.number(m["train_accuracy"])
        validationAccuracy = Self.number(m["validation_accuracy"])
        testAccuracy = Self.number(m["test_accuracy"])
        finalCost = Self.number(m["final_cost"])
        steps = Self.number(m["steps"]).map { Int($0) }
        seconds = Self.timingSeconds(in: directory) ?? Self.number(m["seconds"])
        if case .object(let data)? = m["data"] {
            if case .string(let text)? = data["summary"] { dataSummary = text }
            if let train = Self.number(data["train_count"]), let validation = Self.number(data["validation_count"]),
               let test = Self.number(data["test_count"]) {
                exampleCounts = (Int(train), Int(validation), Int(test))
            }
        }
        settings = RunSettings.settings(ofMetrics: m)
    }

    /// `timing.json`'s `seconds`, or nil when the file is absent or damaged.
    static func timingSeconds(in directory: URL) -> Double? {
        let file = directory.appendingPathComponent("timing.json")
        guard FileManager.default.fileExists(atPath: file.path),
              case .object(let timing)? = try? JSONValue(contentsOf: file) else { return nil }
        return number(timing["seconds"])
    }

    /// A finite number, or nil for anything else.
    static func number(_ value: JSONValue?) -> Double? {
        guard case .number(let x)? = value, x.isFinite else { return nil }
        return x
    }

    /// The name and date of a run directory's name, `<name>-<yyyyMMdd-HHmmss>` with an optional `-N`
    /// (see `RunDirectory`); a name without a date is returned whole.
    static func nameStem(_ directoryName: String) -> (name: String, date: Date?) {
        var parts = directoryName.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 4, let last = parts.last, !last.isEmpty, last.count < 6, last.allSatisfy(\.isASCIIDigit) {
            parts.removeLast()  // the `-2` of a second run in the same second
        }
        guard parts.count >= 3 else { return (directoryName, nil) }
        let day = parts[parts.count - 2], time = parts[parts.count - 1]
        guard day.count == 8, time.count == 6, (day + time).allSatisfy(\.isASCIIDigit) else { return (directoryName, nil) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        guard let date = formatter.date(from: "\(day)-\(time)") else { return (directoryName, nil) }
        return (parts.dropLast(2).joined(separator: "-"), date)
    }

    static func modificationDate(of url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }

    static func hasSubfolders(_ directory: URL) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(
            at: directory, includingPropertiesForKeys: [.isDirectoryKey])) ?? []
        return entries.contains { (try? $0.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
