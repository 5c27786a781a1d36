import Backprop
import Foundation

/// The batch scripts that run a search on a Slurm cluster, and their submission.
///
/// Two jobs, sharing one search directory on the cluster's shared file system:
/// - `shards.sbatch`: an array job of `shards` tasks; task K runs `backprop search --stage <first stage>
///   --shard K/N` (`coarse` for a λ search, `random` for a random search), so each trains its share of
///   the first stage's trials (trials are claimed, so a re-run or an overlapping task never trains one
///   twice).
/// - `merge.sbatch`: runs after the whole array succeeded (`--dependency=afterok:<array>`): the second
///   stage when there are two (a λ search's `fine`, which refuses to start while a coarse trial is
///   missing, and names it), otherwise `--stage all`, which finds every trial finished; then the tables.
///
/// Each task runs `backprop` with `exec`, so that the SIGTERM Slurm sends before a time limit or a
/// preemption reaches it, and is `--requeue`able: finished trials are kept, and the trials in progress
/// save their state on that SIGTERM, so a requeued task continues them from there.
public struct SlurmSearchJobs: Sendable, Equatable {
    /// The `backprop` executable the tasks run (an absolute path).
    public var executable: String
    /// The search file, the data directory (if given) and the output base, as absolute paths.
    public var config: String
    public var data: String?
    public var out: String
    /// The search's name, for job names and the folder of the scripts and logs.
    public var name: String
    public var shards: Int
    /// Per task: CPUs (also the trials a task trains at once), memory in MB, and wall time (`H:MM:SS`).
    public var cpus: Int
    public var memoryMB: Int
    public var time: String
    /// Extra `#SBATCH` options for both jobs, as given (`--partition=gpu`, `--account=lab`).
    public var options: [String]
    /// The tasks' `--checkpoint-every`, when given: how often a trial saves the state a requeued task
    /// continues from.
    public var checkpointEvery: Int?
    /// The search's stages (`HyperparameterSearch.stages`).
    public var stages: [String]

    public init(
        executable: String, config: String, data: String?, out: String, name: String, shards: Int, cpus: Int,
        memoryMB: Int, time: String, options: [String], checkpointEvery: Int? = nil, stages: [String] = ["coarse", "fine"]
    ) {
        self.checkpointEvery = checkpointEvery
        self.stages = stages
        self.executable = executable
        self.config = config
        self.data = data
        self.out = out
        self.name = name
        self.shards = shards
        self.cpus = cpus
        self.memoryMB = memoryMB
        self.time = time
        self.options = options
    }

    /// Where the scripts and the tasks' logs go: `<out>/<name>/slurm`.
    public var folder: URL {
        URL(fileURLWithPath: out).appendingPathComponent(RunDirectory.safeName(name)).appendingPathComponent("slurm")
    }

    /// The array job's script.
    public var shardsScript: String {
        script(
            job: "\(name)-shards", log: "shard-%A_%a.out", extra: ["--array=1-\(shards)"],
            command: search + ["--stage", stages[0], "--shard", "${SLURM_ARRAY_TASK_ID}/\(shards)"])
    }

    /// The merge job's script (submitted with the dependency on the array).
    public var mergeScript: String {
        script(job: "\(name)-merge", log: "merge-%j.out", extra: [], command: search + ["--stage", stages.count == 2 ? stages[1] : "all"])
    }

    private var search: [String] {
        [executable, "search", "--config", config] + (data.map { ["--data", $0] } ?? [])
            + ["--out", out, "--parallel", "\(cpus)"] + (checkpointEvery.map { ["--checkpoint-every", "\($0)"] } ?? [])
    }

    private func script(job: String, log: String, extra: [String], command: [String]) -> String {
        let directives = ["--job-name=\(job)"] + extra + [
            "--cpus-per-task=\(cpus)", "--mem=\(memoryMB)M", "--time=\(time)", "--requeue",
            "--output=\(folder.appendingPathComponent(log).path)",
        ] + options
        return """
            #!/bin/bash
            # Written by `backprop search --slurm` for the search '\(name)'; see docs/cluster.md.
            \(directives.map { "#SBATCH \($0)" }.joined(separator: "\n"))
            set -euo pipefail
            # exec: backprop gets Slurm's SIGTERM itself (time limit, preemption, scancel).
            exec \(command.map(Self.quoted).joined(separator: " "))

            """
    }

    /// A word for the shell: as it is when it is plain, in single quotes otherwise (`${…}` is left for
    /// the shell to expand).
    static func quoted(_ word: String) -> String {
        if word.hasPrefix("${") { return "\"\(word)\"" }
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "/._-=:,+@%".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Writes both scripts into `folder` (executable), and returns their paths.
    public func write() throws -> (shards: URL, merge: URL) {
        let shards = folder.appendingPathComponent("shards.sbatch"), merge = folder.appendingPathComponent("merge.sbatch")
        for (url, text) in [(shards, shardsScript), (merge, mergeScript)] {
            try AtomicFile.write(text, to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        return (shards, merge)
    }

    /// Submits the array (only the tasks `tasks`, all when nil) and the merge job after it, with
    /// `sbatch --parsable` found on the `PATH`, and returns the two job ids.
    ///
    /// - Throws: `CLIError.failed` with sbatch's message when it fails or cannot be run.
    public func submit(tasks: [Int]? = nil) throws -> (array: String, merge: String) {
        let (shards, merge) = try write()
        let selection = tasks.map { ["--array=" + $0.map(String.init).joined(separator: ",")] } ?? []
        let array = try Self.sbatch(selection + [shards.path])
        let after = try Self.sbatch(["--dependency=afterok:\(array)", merge.path])
        return (array, after)
    }

    /// Runs `sbatch --parsable ARGUMENTS` and returns the job id it prints (`123` or `123;cluster`).
    static func sbatch(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sbatch", "--parsable"] + arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        do {
            try process.run()
        } catch {
            throw CLIError.failed("cannot run sbatch: \(error.localizedDescription)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let id = text.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard process.terminationStatus == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            let reason = message.isEmpty ? text : message
            throw CLIError.failed("sbatch \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus)): "
                + reason.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return id
    }
}

extension SlurmSearchJobs {
    /// Memory and wall time per task for `config` on `splits`, with `cpus` trials at once and the first
    /// stage's trials dealt over `shards` tasks: sensible defaults, which `--sbatch-option --mem=…`/`--time=…`
    /// override.
    ///
    /// - Memory: the data set twice (as read, and standardised) plus each concurrent trial's model and
    ///   batches (`ModelSpec.memoryEstimate`), plus 1 GB for the process; in MB.
    /// - Time: each trial's multiply-adds (6 per parameter per example: forward, backward, update; plus
    ///   the evaluations' forward passes) at a conservative 2 GFLOP/s per CPU, times the rounds of
    ///   `cpus` trials the busiest task runs, three times over for safety; at least 15 minutes.
    public static func resources(
        for config: some SearchConfiguration, splits: DataSplits, cpus: Int, shards: Int
    ) throws -> (memoryMB: Int, time: String) {
        let inputs = splits.train.featureCount, classes = splits.train.classCount
        let examples = Double(splits.train.count + splits.validation.count + splits.test.count)
        // The heaviest trial of the sharded stage sets both figures (a random search's trials differ).
        var model = 0.0, trialSeconds = 0.0
        let trials = config.search.trials(in: config.search.stages[0], after: [])
        for experiment in try trials.map(config.experiment(for:)) {
            let scalarBytes = experiment.precision == .float64 ? 8 : 4
            model = max(model, experiment.model.memoryEstimate(
                inputs: inputs, classes: classes, batchSize: experiment.batchSize, scalarBytes: scalarBytes))
            let batches = BatchSampler(count: splits.train.count, batchSize: experiment.batchSize, shuffle: experiment.shuffle)
                .batchesPerEpoch
            let schedule = try experiment.schedule.schedule(batchesPerEpoch: batches)
            let steps = experiment.length?.resolved(batchesPerEpoch: batches) ?? schedule.naturalLength ?? batches
            let parameters = experiment.model.parameterCount(inputs: inputs, classes: classes)
            let trainingFLOPs = 6 * Double(steps) * Double(experiment.batchSize) * parameters
            let evaluationFLOPs = 2 * 20 * examples * parameters   // up to about 20 evaluations of every split
            trialSeconds = max(trialSeconds, (trainingFLOPs + evaluationFLOPs) / 2e9)
        }
        let bytes = 2 * 4 * examples * Double(inputs) + Double(cpus) * model + 1e9
        let rounds = Double((trials.count + shards - 1) / shards + cpus - 1) / Double(cpus)
        let seconds = max(15 * 60, Int((3 * rounds.rounded(.up) * trialSeconds).rounded(.up)))
        let minutes = (seconds + 299) / 300 * 5
        return (Int((bytes / 1_000_000).rounded(.up)), String(format: "%d:%02d:00", minutes / 60, minutes % 60))
    }
}
