import Backprop
import Foundation

/// `backprop search --config FILE …` and `backprop search --merge DIR … --config FILE`.
enum SearchCommand {
    /// The stages of either kind of search file, for `--stage`.
    enum StageName: String, CaseIterable { case coarse, fine, random, all }

    static let interface = CommandInterface(
        name: "search",
        abstract: "λ search or random search of hyper-parameters (parallel, resumable, shardable)",
        discussion: """
            To join searches run elsewhere: backprop search --config FILE --merge DIR [--merge DIR ...] [--out DIR]

            Two kinds of search file. A λ search (see Examples/configs/a2-search.json) searches the L2 strength
            λ = 10^l coarse to fine: stages 'coarse' and 'fine'. A random search (a file with "parameters", see
            Examples/configs/cifar-random-search.json) draws several values of its experiment at once, each from
            a log_uniform, uniform or choice distribution: one stage, 'random'. Each trial trains its experiment
            and is scored on the validation set; trials run N at a time (default: the number of cores) and each
            writes its own run directory under OUT/<name>/<stage>/. Writes OUT/<name>/search.csv, search.md
            (sorted by validation accuracy) and search.svg (accuracy against λ, or a parallel-coordinates chart
            of every trial).

            Interrupted? Run the same command again: finished trials are kept, not redone, and a trial stopped
            by SIGINT or SIGTERM (or killed after a saved state) continues from its checkpoint/.
            Several processes on one --out share the trials: each trial is claimed by one of them (its
            claim.json), and a claim whose process died is taken over.
            On a Slurm cluster, '--slurm' writes OUT/<name>/slurm/shards.sbatch (an array job of --shards
            tasks, each '--stage coarse --shard K/N') and merge.sbatch (the fine stage, after the whole
            array succeeded; for a random search, the tables); with '--submit' it submits both and prints their job ids. '--slurm --submit
            --resume' submits only the shards whose trials are missing, and the merge after them. (For a
            random search, read 'random' for 'coarse' here and below; it has no fine stage.)
            See docs/cluster.md.
            Many machines? Run '--stage coarse --shard K/N' on each (K = 1…N, e.g. a Slurm array job's
            task id), merge the directories with '--merge', then run '--stage fine' the same way.
            """,
        arguments: [
            .option("config", value: "FILE", help: "the search (JSON; see Examples/configs/a2-search.json and cifar-random-search.json)",
                    required: true),
            .option("data", value: "DIR", help: "where the data set is"),
            .flag("download", help: "if CIFAR-10 is not there, download it (162 MB), check its MD5 and unpack it"),
            .option("out", value: "DIR", help: "where the search directory goes", default: "runs"),
            .option("stage", value: "S", help: "coarse, fine, random or all (the file's stages); with --shard, only the first stage runs", default: "all"),
            .option("parallel", value: "N", help: "trials at once",
                    default: "\(ProcessInfo.processInfo.activeProcessorCount)"),
            .option("shard", value: "K/N", help: "run only the K-th of N parts of each stage"),
            .repeatedOption("merge", value: "DIR", help: "a directory (OUT of another run) whose finished trials to join; repeatable"),
            .option("checkpoint-every", value: "N", help: """
                updates between two saved states of a trial (default \(ExperimentSession.defaultCheckpointInterval));
                SIGINT or SIGTERM saves them too, and the same command continues them
                """),
            .flag("quiet", help: "accepted as train accepts it (trials print no progress line anyway)"),
            .flag("slurm", help: "write Slurm batch scripts for the search instead of running it"),
            .option("shards", value: "N", help: "with --slurm: tasks of the array job", default: "4"),
            .flag("submit", help: "with --slurm: submit the scripts with sbatch"),
            .flag("resume", help: "with --slurm --submit: only the shards with missing trials"),
            .repeatedOption("sbatch-option", value: "OPT", help: "with --slurm: an #SBATCH option for both jobs, as --sbatch-option=--partition=long; repeatable"),
        ])

    /// The command, building the searched experiment with `registries`.
    static func subcommand(registries: PluginRegistries) -> Subcommand {
        Subcommand(interface) { try run($0, registries: registries) }
    }

    static func run(_ args: ParsedArguments, registries: PluginRegistries) throws {
        // Every option is read before any work, so that a mistyped one fails at once.
        let path = try args.required("config", as: String.self)
        let out = try args.required("out", as: URL.self)
        let merged = try args.values("merge", as: URL.self)
        let parallel = try args.required("parallel", as: Int.self, where: { $0 >= 1 }, must: "be at least 1")
        let shard = try args.value("shard", must: "be K/N with 1 ≤ K ≤ N", Shard.init)
        let stageName = try args.choice("stage", as: StageName.self) ?? .all
        let data = try args.value("data", as: String.self)
        let slurm = args.flag("slurm")
        let shards = try args.required("shards", as: Int.self, where: { $0 >= 1 }, must: "be at least 1")
        let sbatchOptions = try args.values("sbatch-option", as: String.self)
        let checkpointEvery = try args.value("checkpoint-every", as: Int.self, where: { $0 >= 0 }, must: "be 0 or more")
        for (flag, given) in [("submit", args.flag("submit")), ("resume", args.flag("resume")),
                              ("sbatch-option", !sbatchOptions.isEmpty)] where given && !slurm {
            throw args.interface.usageError("--\(flag) goes with --slurm.")
        }
        if args.flag("resume"), !args.flag("submit") { throw args.interface.usageError("--resume goes with --submit.") }

        let config = try SearchFile.read(JSONValue(contentsOf: URL(fileURLWithPath: path)), registries: registries)
        let stage: SearchSession.Stage = stageName == .all ? .all : .named(stageName.rawValue)
        if case .named(let name) = stage, !config.search.stages.contains(name) {
            throw args.interface.usageError("--stage \(name): the search in \(path) has the stage(s) "
                + config.search.stages.joined(separator: ", ") + " (or all).")
        }
        if !merged.isEmpty {
            let session = try SearchSession(search: config.search, base: out) { _ in
                throw CLIError.failed("merging trains nothing")
            }
            let added = try session.merge(from: merged)
            print("merged \(added) trial(s); \(session.ranking.count) finished in all")
            printBest(session)
            return
        }
        let (splits, standardizer) = try ExperimentSession.loadData(
            config.experiment.data, override: data, download: args.flag("download"))
        print("data: \(splits)")
        for note in splits.notes { print("note: \(note)") }
        var session = try SearchSession(config: config, base: out, splits: splits, standardizer: standardizer)
        if slurm {
            try submitToSlurm(
                config: config, session: session, splits: splits, path: path, data: data, out: out, shards: shards,
                cpus: parallel, options: sbatchOptions, checkpointEvery: checkpointEvery, submit: args.flag("submit"),
                resume: args.flag("resume"))
            return
        }
        session.parallel = parallel
        if let checkpointEvery { session.checkpointEvery = checkpointEvery }
        if let shard { session.shard = shard }
        let start = Date()
        try ExperimentSession.interruptible(explain: { _, signal in
            "search interrupted by \(signal); the trials in progress saved their state in their run directories' "
                + "checkpoint/. The same command continues them."
        }) { pause in
            session.pauseRequested = pause
            _ = try session.run(stage)
        }
        print(String(format: "search time: %.1f s with %d trial(s) at once", Date().timeIntervalSince(start), session.parallel))
        printBest(session)
        print(session.directory.path)
    }

    /// Writes (and submits) the Slurm jobs of the search; see `SlurmSearchJobs`.
    static func submitToSlurm(
        config: some SearchConfiguration, session: SearchSession, splits: DataSplits, path: String, data: String?, out: URL,
        shards: Int, cpus: Int, options: [String], checkpointEvery: Int?, submit: Bool, resume: Bool
    ) throws {
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        let (memory, time) = try SlurmSearchJobs.resources(for: config, splits: splits, cpus: cpus, shards: shards)
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let jobs = SlurmSearchJobs(
            executable: absolute(executable), config: absolute(path), data: data.map(absolute), out: absolute(out.path),
            name: config.search.name, shards: shards, cpus: cpus, memoryMB: memory, time: time, options: options,
            checkpointEvery: checkpointEvery, stages: config.search.stages)
        guard submit else {
            let (shardsScript, mergeScript) = try jobs.write()
            print("wrote \(shardsScript.path) (\(shards) tasks of \(cpus) CPU(s), \(memory) MB, \(time) each)")
            print("wrote \(mergeScript.path)")
            print("submit: jid=$(sbatch --parsable \(shardsScript.path)) && sbatch --dependency=afterok:$jid \(mergeScript.path)")
            return
        }
        var tasks: [Int]?
        if resume {
            let first = config.search.stages[0]
            let finished = Set(session.outcomes(first).map(\.trial))
            let missing = config.search.trials(in: first, after: []).filter { !finished.contains($0) }
            tasks = (1...shards).filter { k in missing.contains { Shard(index: k, count: shards).owns($0) } }
            print("missing \(first) trials: \(missing.map(\.id).joined(separator: ", ").isEmpty ? "none" : missing.map(\.id).joined(separator: ", "))")
        }
        if tasks == [] {
            let ids = try SlurmSearchJobs.sbatch([try jobs.write().merge.path])
            print("submitted the merge job \(ids) (every trial of the first stage is finished)")
        } else {
            let ids = try jobs.submit(tasks: tasks)
            let which = tasks.map { " (tasks \($0.map(String.init).joined(separator: ",")))" } ?? ""
            print("submitted the array job \(ids.array) of \(shards) shard(s)\(which) and the merge job \(ids.merge) after it")
        }
        print("results: \(session.directory.path) (logs in \(jobs.folder.path))")
    }

    static func printBest(_ session: SearchSession) {
        for (rank, o) in session.ranking.prefix(3).enumerated() {
            print(String(format: "#%d %@ %@: validation %.2f%%", rank + 1, o.trial.id, session.describe(o.trial),
                         100 * o.validationAccuracy))
        }
    }
}
