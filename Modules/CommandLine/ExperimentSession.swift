import Backprop
import BackpropReports
import Foundation

/// What the `backprop` commands and the examples share: loading data with helpful errors, and running
/// one experiment into its own directory.
public enum ExperimentSession {
    /// Loads and standardises the data of `configuration`; a missing CIFAR-10 folder is downloaded when
    /// `download` is set, and otherwise turned into instructions.
    ///
    /// The folder is, in order: `override` (the command line's `--data`), the file's `data.directory`,
    /// `$BACKPROP_DATA`, or `data/cifar-10-batches-bin` (`/usr/share/datasets/fashion-mnist` for
    /// Fashion-MNIST, where Debian's package puts it).
    ///
    /// - Parameters:
    ///   - configuration: the experiment file's `data` section.
    ///   - override: the folder given on the command line (`--data`), or nil.
    ///   - download: when CIFAR-10 is not found, fetch the official archive, check its MD5 and unpack it
    ///     (see `downloadDirectory(for:)` for where), then load it.
    ///   - progress: the download's progress callback; nil draws a progress line on stderr.
    ///   - cache: keeps the files read for later loads of the same process (see `DataFileCache`).
    /// - Throws: `DataNotFound` with instructions when CIFAR-10 is missing and `download` is false;
    ///   `DownloadError` when the download fails; `DatasetError` for damaged files.
    public static func loadData(
        _ configuration: DatasetConfiguration, override: String?, download: Bool = false,
        progress: ((Int64, Int64?) -> Void)? = nil, cache: DataFileCache? = nil
    ) throws -> (DataSplits, Standardizer) {
        let (configuration, base) = overridden(configuration, by: override)
        let directory = try configuration.resolvedDirectory(relativeTo: base)
        do {
            return try configuration.loadStandardized(relativeTo: base, cache: cache)
        } catch let error as DatasetError {
            guard case .cifar10 = configuration.source, case .unrecognizedLayout = error else { throw error }
            let target = downloadDirectory(for: directory)
            guard download else {
                throw DataNotFound(message: """
                    \(error)
                    CIFAR-10 is not at \(directory.path). Backprop reads the official files and never ships them.
                    Run again with --download to fetch them (162 MB; the MD5 is checked and the archive unpacked
                    into \(target.path)), or by hand:
                      1. download \(CIFAR10.officialBinaryURL.absoluteString) (162 MB; MD5 \(CIFAR10.officialBinaryMD5))
                      2. unpack it: tar xzf cifar-10-binary.tar.gz -C \(target.path)
                         (or, offline, put the archive in \(target.path)/ and run again with --download:
                         it is checked and unpacked)
                      3. run again; if the files are elsewhere, point Backprop at them with
                         --data DIR/cifar-10-batches-bin or BACKPROP_DATA=… (the Python version, cifar-10-batches-py,
                         works too)
                    """)
            }
            try downloadCIFAR10(into: target, progress: progress)
            return try configuration.loadStandardized(relativeTo: base, cache: cache)
        }
    }

    /// Loads the splits of `configuration` as they are on disk, not standardised (a trained model
    /// applies its own standardiser), from the folder `loadData` would use, without downloading.
    public static func loadRawData(_ configuration: DatasetConfiguration, override: String?) throws -> DataSplits {
        let (configuration, base) = overridden(configuration, by: override)
        return try configuration.load(relativeTo: base)
    }

    /// `configuration` and the base its directory resolves against: a `--data` folder replaces the
    /// file's `data.directory`.
    private static func overridden(
        _ configuration: DatasetConfiguration, by override: String?
    ) -> (DatasetConfiguration, URL?) {
        var configuration = configuration
        if override != nil { configuration.directory = nil }
        return (configuration, override.map { URL(fileURLWithPath: $0) })
    }

    /// Where a download for the CIFAR-10 folder `directory` goes: its parent when it is named
    /// `cifar-10-batches-bin` (the archive unpacks to that name, so `data/cifar-10-batches-bin` comes
    /// from `data/`), else `directory` itself, where `CIFAR10.locate` also looks for that folder.
    static func downloadDirectory(for directory: URL) -> URL {
        directory.lastPathComponent == CIFAR10.binaryFolderName ? directory.deletingLastPathComponent() : directory
    }

    /// Downloads (or unpacks a copy already in `target`) CIFAR-10, saying so on stderr.
    private static func downloadCIFAR10(into target: URL, progress: ((Int64, Int64?) -> Void)?) throws {
        func say(_ text: String) { FileHandle.standardError.write(Foundation.Data((text + "\n").utf8)) }
        let name = CIFAR10.officialBinaryURL.lastPathComponent
        if FileManager.default.fileExists(atPath: target.appendingPathComponent(name).path) {
            say("CIFAR-10: found \(name) in \(target.path); checking its MD5 and unpacking it")
        } else {
            say("CIFAR-10: downloading \(CIFAR10.officialBinaryURL.absoluteString) (162 MB) into \(target.path)")
        }
        let line = DownloadProgressLine.standardError(label: name)
        let folder: URL
        do {
            folder = try CIFAR10.download(to: target, progress: progress ?? line.progress)
            line.finish()
        } catch {
            line.finish()
            throw error
        }
        say("CIFAR-10: MD5 checked, unpacked into \(folder.path)")
    }

    /// Trains the experiment `config` describes on `splits` and writes its run directory under
    /// `outputBase`; see `run(_:outputBase:progress:checkpointEvery:)`.
    public static func run(
        _ config: ExperimentConfig, splits: DataSplits, standardizer: Standardizer, outputBase: URL,
        progress: ProgressReporter.Style = .automatic, checkpointEvery: Int = defaultCheckpointInterval
    ) throws -> (RunResult, URL) {
        try run(config.experiment(splits: splits, standardizer: standardizer), outputBase: outputBase, progress: progress,
                checkpointEvery: checkpointEvery)
    }

    /// Updates between two checkpoints unless a command says otherwise.
    public static let defaultCheckpointInterval = 1000

    /// Trains `experiment` (read from a file or composed in code) and writes its run directory under
    /// `outputBase`: `<name>-<time>/` with the history, metrics, parameters, charts and `report.html`.
    ///
    /// While training, the run's state is kept in `checkpoint/` inside the run directory
    /// (`CheckpointDirectory`): every `checkpointEvery` updates while the parameters are finite, and when
    /// SIGINT or SIGTERM arrives, which then ends the call with `CLIError.interrupted` (exit status 130
    /// or 143). `resume(_:in:progress:checkpointEvery:)` continues such a run, or one killed outright, to
    /// the same end, bit for bit. The checkpoint of a run that ended well is removed once its report is
    /// written; a run that diverged keeps its last finite state there.
    ///
    /// - Throws: what `TrainingRun.run` throws; `CLIError.interrupted` after a signal.
    public static func run(
        _ experiment: some TrainingRun, outputBase: URL, progress: ProgressReporter.Style = .automatic,
        checkpointEvery: Int = defaultCheckpointInterval
    ) throws -> (RunResult, URL) {
        let directory = try RunDirectory.create(under: outputBase, name: experiment.name)
        return try train(experiment, in: directory, resume: false, progress: progress, checkpointEvery: checkpointEvery)
    }

    /// Continues the run whose directory is `directory` from its checkpoint, and writes its report
    /// there: the files end as those of the run never interrupted.
    ///
    /// - Throws: `CLIError.failed` when the directory has no checkpoint; `CheckpointMismatch` (saying
    ///   what differs) when `experiment` or its data are not the run's; what `run` throws.
    public static func resume(
        _ experiment: some TrainingRun, in directory: URL, progress: ProgressReporter.Style = .automatic,
        checkpointEvery: Int = defaultCheckpointInterval
    ) throws -> (RunResult, URL) {
        guard checkpoint(of: directory).hasState else { throw noCheckpoint(in: directory) }
        return try train(experiment, in: directory, resume: true, progress: progress, checkpointEvery: checkpointEvery)
    }

    /// The checkpoint folder of the run directory `directory`.
    public static func checkpoint(of directory: URL) -> CheckpointDirectory {
        CheckpointDirectory(directory.appendingPathComponent("checkpoint"))
    }

    /// Why `directory` cannot be resumed: finished, or not a run directory.
    static func noCheckpoint(in directory: URL) -> CLIError {
        let finished = FileManager.default.fileExists(atPath: directory.appendingPathComponent("metrics.json").path)
        return .failed(finished
            ? "\(directory.path) holds a finished run (metrics.json) and no checkpoint: there is nothing to resume"
            : "\(directory.path) has no checkpoint/ with a saved state: it is not a run directory, or its run "
                + "was stopped before its first checkpoint (start it again)")
    }

    /// Trains `experiment` into the run directory `directory`, keeping its state in `checkpoint/` there
    /// (every `checkpointEvery` updates while its parameters are finite, and when `pauseRequested` says
    /// so), continuing the saved state when `resume`; then writes the report and removes the checkpoint
    /// (kept when the run diverged: its last finite state).
    ///
    /// - Throws: `TrainingPaused` once the state is saved, when `pauseRequested` said yes; what
    ///   `TrainingRun.run(progress:onEvaluation:checkpoints:)` throws.
    public static func train(
        _ experiment: some TrainingRun, in directory: URL, resume: Bool, progress: ProgressReporter.Style = .automatic,
        checkpointEvery: Int = defaultCheckpointInterval, pauseRequested: @escaping @Sendable () -> Bool = { false }
    ) throws -> RunResult {
        let store = checkpoint(of: directory)
        let plan = CheckpointPlan(store: store, interval: checkpointEvery, resume: resume, pauseRequested: pauseRequested)
        let result = try experiment.run(progress: progress, onEvaluation: nil, checkpoints: plan)
        try RunReport.write(result, to: directory)
        if result.history.divergedAtStep == nil { try? FileManager.default.removeItem(at: store.url) }
        return result
    }

    /// Runs `body` with SIGINT and SIGTERM turned into the pause request it is given; a `TrainingPaused`
    /// it throws becomes `CLIError.interrupted` (exit status 130 or 143) with the text `explain` gives
    /// for the signal's name.
    static func interruptible<T>(
        explain: @escaping (TrainingPaused, String) -> String, _ body: (@escaping @Sendable () -> Bool) throws -> T
    ) throws -> T {
        try SignalPause.catching { pause in
            do {
                return try body { pause.received != nil }
            } catch let paused as TrainingPaused {
                let signal = pause.received ?? SIGINT
                throw CLIError.interrupted(explain(paused, SignalPause.name(of: signal)), signal: signal)
            }
        }
    }

    private static func train(
        _ experiment: some TrainingRun, in directory: URL, resume: Bool, progress: ProgressReporter.Style, checkpointEvery: Int
    ) throws -> (RunResult, URL) {
        let result = try interruptible(explain: { paused, signal in
            "training interrupted by \(signal) after step \(paused.step) of \(paused.totalSteps); its state is saved in "
                + "\(checkpoint(of: directory).url.path). Continue it with: backprop train --resume \(directory.path)"
        }) { pause in
            try train(experiment, in: directory, resume: resume, progress: progress, checkpointEvery: checkpointEvery,
                      pauseRequested: pause)
        }
        return (result, directory)
    }
}

/// The data set is not where Backprop looked; the message says where to get it and how to point at it.
public struct DataNotFound: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
