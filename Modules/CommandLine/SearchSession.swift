import Backprop
import BackpropReports
import Foundation

/// Runs a hyper-parameter search into one directory, resumably and in shards, and writes its tables and
/// chart.
///
/// Any `HyperparameterSearch` runs here: the course's λ search (`LambdaSearch`) and a random search
/// over several parameters (`RandomSearch`). What each trial trains comes from a closure, so the same
/// session serves a search file (`SearchConfiguration.run(_:splits:standardizer:)`) and a model
/// composed in code:
///
/// ```swift
/// let session = try SearchSession(search: search, base: runs) { trial in
///     var trialExperiment = experiment
///     trialExperiment.name = "\(search.name)-\(trial.id)"
///     trialExperiment.regularizers = [L2Regularizer(lambda: trial.lambda)]
///     return trialExperiment
/// }
/// try session.run(.all)
/// ```
///
/// Layout: `<directory>/search.json` (the search, so resumes and merges can check they continue the
/// same one), `<directory>/<stage>/<trial>/` (a run directory per trial, ending with `trial.json`,
/// written last: its presence marks the trial finished), and `search.csv`, `search.md`, `search.svg`.
public struct SearchSession {
    /// Which stages `run(_:)` runs: one, by name, or all in order.
    public enum Stage: Sendable, Equatable {
        case all
        case named(String)
        /// A λ search's stages, and a random search's.
        public static let coarse = Stage.named("coarse"), fine = Stage.named("fine"), random = Stage.named("random")
    }

    public let search: any HyperparameterSearch
    public let directory: URL
    /// The run a trial trains.
    public let makeRun: @Sendable (SearchTrial) throws -> any TrainingRun
    public var parallel = 2
    public var shard = Shard.whole
    /// How often a session waiting for trials that other processes claimed looks again, in seconds.
    public var claimPollSeconds = 1.0
    /// After how many seconds without its holder's refresh a trial's claim is taken over (see
    /// `TrialClaim`): the holder was killed, or its node lost.
    public var claimStaleSeconds = 300.0
    /// Updates between two saved states of a trial (its run directory's `checkpoint/`, see
    /// `ExperimentSession.train`): a trial stopped by a signal, or killed, continues from there in the
    /// next session that takes it.
    public var checkpointEvery = ExperimentSession.defaultCheckpointInterval
    /// Asked after every update of every trial: when it says yes, the trials save their state and `run`
    /// throws `TrainingPaused` (`backprop search` asks whether SIGINT or SIGTERM arrived).
    public var pauseRequested: @Sendable () -> Bool = { false }
    /// Where progress lines go (one per finished trial).
    public var log: @Sendable (String) -> Void = { print($0) }

    /// A session for `search` in `<base>/<search.name>`, each trial trained by `makeRun`; fails if that
    /// directory holds another search (its `search.json` differs from `search.identity`).
    public init(
        search: any HyperparameterSearch, base: URL, makeRun: @escaping @Sendable (SearchTrial) throws -> any TrainingRun
    ) throws {
        self.search = search
        self.makeRun = makeRun
        // The name comes from a file: it must not lead out of `base` ("../../escaped").
        directory = base.appendingPathComponent(RunDirectory.safeName(search.name))
        let marker = directory.appendingPathComponent("search.json")
        // Left by an earlier session killed while it wrote a summary.
        AtomicFile.removeStaleTemporaries(in: directory)
        if let data = FileManager.default.contents(atPath: marker.path) {
            let stored = try JSONValue(parsing: data, source: marker.path)
            guard stored == search.identity else {
                throw CLIError.failed("\(directory.path) holds a different search (its search.json differs from the "
                    + "given one); use another --out or name")
            }
        } else {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try AtomicFile.write(search.identity.prettyJSONText + "\n", to: marker)
        }
    }

    /// A session for a search file: each trial trains its experiment (`SearchConfiguration`) on `splits`.
    ///
    /// The directory also records what the trials were trained on (`provenance.json`: the data's
    /// `DataFingerprint` and Backprop's version); a session on other data, or from another version,
    /// is refused with what differs, so that a resumed search never mixes trials of two data sets.
    public init(config: some SearchConfiguration, base: URL, splits: DataSplits, standardizer: Standardizer) throws {
        try self.init(search: config.search, base: base) { trial in
            try config.run(trial, splits: splits, standardizer: standardizer)
        }
        try checkProvenance(SearchProvenance(data: DataFingerprint(splits), backprop: BackpropVersion.current))
    }

    /// Records `provenance` in a new search directory, or checks it against the one recorded.
    func checkProvenance(_ provenance: SearchProvenance) throws {
        let file = directory.appendingPathComponent("provenance.json")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            try AtomicFile.write(try SearchSession.encoder.encode(provenance), to: file)
            return
        }
        let recorded: SearchProvenance
        do {
            recorded = try JSONDecoder().decode(SearchProvenance.self, from: data)
        } catch {
            throw CLIError.failed("\(file.path) is damaged (\(error)); it records what the search's trials were "
                + "trained on. Move the search directory aside or use another --out")
        }
        var differences = provenance.data.differences(from: recorded.data)
        if provenance.backprop != recorded.backprop {
            differences.append("this is Backprop \(provenance.backprop), its trials were trained by \(recorded.backprop)")
        }
        guard differences.isEmpty else {
            throw CLIError.failed("\(directory.path) holds trials trained on other data or code: "
                + differences.joined(separator: "; ") + ". Use another --out or name, or the same data")
        }
    }

    // MARK: - Outcomes on disk

    /// `trial.json`'s coder: a diverged trial's NaN or infinite figures are written as the strings
    /// "nan", "inf" and "-inf" (JSON has no such numbers), so that it is recorded as finished.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// The finished trials of `stage` found in the directory, by index.
    public func outcomes(_ stage: String) -> [TrialOutcome] {
        let folder = directory.appendingPathComponent(stage)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).appendingPathComponent("trial.json").path) else { return nil }
            return try? SearchSession.decoder.decode(TrialOutcome.self, from: data)
        }.sorted { $0.trial.index < $1.trial.index }
    }

    // MARK: - Running

    /// Runs this shard's unfinished trials of `stage` (every stage in turn for `.all`; with several
    /// shards, `.all` runs only the first stage, since a later one needs every shard's outcomes).
    ///
    /// A stage after the first refuses to start while a trial of an earlier stage is missing, naming it.
    ///
    /// - Returns: every finished outcome of the stage(s) after the run, this shard's and others'.
    @discardableResult
    public func run(_ stage: Stage) throws -> [TrialOutcome] {
        switch stage {
        case .all:
            let stages = shard.count == 1 ? search.stages : Array(search.stages.prefix(1))
            return try stages.flatMap { try run(.named($0)) }
        case .named(let name):
            guard let position = search.stages.firstIndex(of: name) else {
                throw CLIError.failed("the search '\(search.name)' has no stage '\(name)'; its stages are "
                    + search.stages.joined(separator: ", "))
            }
            var earlier: [TrialOutcome] = []
            for before in search.stages[..<position] {
                let finished = outcomes(before)
                let planned = search.trials(in: before, after: earlier)
                let missing = planned.filter { trial in !finished.contains { $0.trial == trial } }
                guard missing.isEmpty else {
                    throw CLIError.failed("the \(name) stage needs every \(before) trial; missing: "
                        + missing.map(\.id).joined(separator: ", ")
                        + ". Run the \(before) stage (all shards) and merge first.")
                }
                earlier += finished
            }
            return try run(trials: search.trials(in: name, after: earlier))
        }
    }

    /// Trains this shard's unfinished `trials`, each under a `TrialClaim`, so that other processes
    /// running the same search in this directory share them; then waits for those that others are
    /// training (polling every `claimPollSeconds`), and takes over a trial whose claim went stale.
    private func run(trials: [SearchTrial]) throws -> [TrialOutcome] {
        guard let stage = trials.first?.stage else { return [] }
        let mine = trials.filter { shard.owns($0) }
        let folder = directory.appendingPathComponent(stage)
        let log = self.log, staleAfter = claimStaleSeconds, every = checkpointEvery, pause = pauseRequested
        let dimensions = search.dimensions
        var firstPass = true, waiting: Set<SearchTrial> = []
        while true {
            let done = Set(outcomes(stage).map(\.trial))
            let todo = mine.filter { !done.contains($0) }
            if firstPass, !done.isEmpty {
                log("\(stage): \(done.count) trial(s) already finished, \(todo.count) to run (shard \(shard))")
            }
            firstPass = false
            if todo.isEmpty { break }
            let jobs = try todo.map { ($0, try makeRun($0)) }
            let results = ParallelWork.map(jobs, maxConcurrent: parallel) { (job: (SearchTrial, any TrainingRun)) in
                let (trial, run) = job
                let runDirectory = folder.appendingPathComponent(trial.id)
                let trialFile = runDirectory.appendingPathComponent("trial.json")
                guard let claim = try TrialClaim.take(in: runDirectory, staleAfter: staleAfter) else { return nil }
                defer { claim.release() }
                // Finished by another process between the listing above and the claim.
                if FileManager.default.fileExists(atPath: trialFile.path) { return nil }
                let saved = ExperimentSession.checkpoint(of: runDirectory).savedStep
                if let saved { log("\(trial.id): resuming from its state at step \(saved)") }
                let result = try ExperimentSession.train(
                    run, in: runDirectory, resume: saved != nil, progress: .none, checkpointEvery: every, pauseRequested: pause)
                let outcome = TrialOutcome(trial: trial, result: result)
                try AtomicFile.write(try SearchSession.encoder.encode(outcome), to: trialFile)
                log(String(format: "%@ %@: validation %.2f%%, train %.2f%% (%.1f s)", trial.id, SearchSession.describe(trial, dimensions),
                           100 * outcome.validationAccuracy, 100 * outcome.trainAccuracy, outcome.seconds))
                return trial
            } as [Result<SearchTrial?, any Error>]
            for case .failure(let error) in results { throw error }
            let trained = results.compactMap { try? $0.get() }
            if trained.isEmpty {
                // Every unfinished trial is claimed by another process: wait for it.
                let claimed = Set(todo)
                if claimed != waiting {
                    log("\(stage): waiting for \(claimed.count) trial(s) that other processes are training: "
                        + todo.map(\.id).joined(separator: ", "))
                    waiting = claimed
                }
                Thread.sleep(forTimeInterval: claimPollSeconds)
            }
        }
        try writeSummary()
        return outcomes(stage)
    }

    // MARK: - Tables and plot

    /// Every finished trial of every stage, best validation accuracy first.
    public var ranking: [TrialOutcome] {
        search.stages.flatMap(outcomes).sorted { $0.validationAccuracy > $1.validationAccuracy }
    }

    /// A trial's values as `name=value`, in the order of the search's dimensions (`l=-3.2 lambda=6.3e-04`).
    public func describe(_ trial: SearchTrial) -> String { SearchSession.describe(trial, search.dimensions) }

    static func describe(_ trial: SearchTrial, _ dimensions: [SearchDimension]) -> String {
        dimensions.map { "\($0.name)=" + text(trial.parameters[$0.name]) }.joined(separator: " ")
    }

    /// A trial's value as a table cell: a number as a number, a string as text, anything else (a list
    /// of widths) as compact JSON, a missing one empty.
    public static func cell(_ value: JSONValue?) -> CSVTable.Cell {
        switch value {
        case .number(let number)?: .number(number)
        case .string(let text)?: .text(text)
        case let other?: .text(other.jsonText)
        case nil: .empty
        }
    }

    /// A value for a table or a label: numbers with 4 significant digits, lists as compact JSON.
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .number(let number)?: String(format: "%.4g", number)
        case .string(let text)?: text
        case let other?: other.jsonText
        case nil: "-"
        }
    }

    /// The table of all finished trials, sorted by validation accuracy.
    public func table() -> CSVTable {
        let dimensions = search.dimensions.map(\.name)
        var table = CSVTable(columns: ["rank", "stage", "trial"] + dimensions + [
            "validation_accuracy", "train_accuracy", "test_accuracy", "final_cost", "seconds"])
        for (rank, o) in ranking.enumerated() {
            let values = dimensions.map { SearchSession.cell(o.trial.parameters[$0]) }
            table.append([.integer(rank + 1), .text(o.trial.stage), .text(o.trial.id)] + values + [
                .number(o.validationAccuracy), .number(o.trainAccuracy), .number(o.testAccuracy), .number(o.finalCost),
                .number(o.seconds)])
        }
        return table
    }

    /// Writes `search.csv`, `search.md` and `search.svg` for the trials finished so far.
    public func writeSummary() throws {
        let table = table()
        try table.write(to: directory.appendingPathComponent("search.csv"))
        try AtomicFile.write(table.markdown(significantDigits: 4), to: directory.appendingPathComponent("search.md"))
        try AtomicFile.write(chartSVG(), to: directory.appendingPathComponent("search.svg"))
    }

    // MARK: - Merging shards

    /// Copies the finished trials of other directories of the same search (shards run elsewhere) into
    /// this one, then rewrites the tables. Returns how many trials were added.
    @discardableResult
    public func merge(from sources: [URL]) throws -> Int {
        var added = 0
        for source in sources {
            let root = FileManager.default.fileExists(atPath: source.appendingPathComponent("search.json").path)
                ? source : source.appendingPathComponent(RunDirectory.safeName(search.name))
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent("search.json").path),
                  try JSONValue(parsing: data, source: root.path) == search.identity else {
                throw CLIError.failed("\(source.path) does not hold the search '\(search.name)' (no matching search.json)")
            }
            // Trials of shards trained on other data or by another version are not joined.
            let provenance = root.appendingPathComponent("provenance.json")
            if let data = FileManager.default.contents(atPath: provenance.path) {
                guard let theirs = try? JSONDecoder().decode(SearchProvenance.self, from: data) else {
                    throw CLIError.failed("\(provenance.path) is damaged; its trials are not merged")
                }
                do {
                    try checkProvenance(theirs)
                } catch CLIError.failed(let reason) {
                    throw CLIError.failed("cannot merge \(source.path): \(reason)")
                }
            }
            for stage in search.stages {
                let from = root.appendingPathComponent(stage), to = directory.appendingPathComponent(stage)
                for name in (try? FileManager.default.contentsOfDirectory(atPath: from.path)) ?? [] {
                    let trial = from.appendingPathComponent(name)
                    guard FileManager.default.fileExists(atPath: trial.appendingPathComponent("trial.json").path),
                          !FileManager.default.fileExists(atPath: to.appendingPathComponent(name).appendingPathComponent("trial.json").path)
                    else { continue }
                    try FileManager.default.createDirectory(at: to, withIntermediateDirectories: true)
                    try? FileManager.default.removeItem(at: to.appendingPathComponent(name))
                    try FileManager.default.copyItem(at: trial, to: to.appendingPathComponent(name))
                    added += 1
                }
            }
        }
        try writeSummary()
        return added
    }
}

/// What a search's trials were trained on, recorded in its directory (`provenance.json`).
struct SearchProvenance: Codable, Equatable {
    var data: DataFingerprint
    /// `BackpropVersion.current` of the session that started the search.
    var backprop: String
}
