import Backprop
import Foundation

/// `backprop search --config FILE …` and `backprop search --merge DIR … --config FILE`.
enum SearchCommand {
    static let interface = CommandInterface(
        name: "search",
        abstract: "coarse-to-fine search of the L2 strength λ (parallel, resumable, shardable)",
        discussion: """
            To join searches run elsewhere: backprop search --config FILE --merge DIR [--merge DIR ...] [--out DIR]

            Coarse-to-fine search of the L2 strength λ = 10^l (see Examples/configs/a2-search.json). Each trial
            trains the file's experiment with its λ and is scored on the validation set; trials run N at a time
            (default: the number of cores) and each writes its own run directory under OUT/<name>/<stage>/.
            Writes OUT/<name>/search.csv, search.md (sorted by validation accuracy) and search.svg.

            Interrupted? Run the same command again: finished trials are kept, not redone.
            Several processes on one --out share the trials: each trial is claimed by one of them (its
            claim.json), and a claim whose process died is taken over.
            Many machines? Run '--stage coarse --shard K/N' on each (K = 1…N, e.g. a Slurm array job's
            task id), merge the directories with '--merge', then run '--stage fine' the same way.
            """,
        arguments: [
            .option("config", value: "FILE", help: "the search (JSON; see Examples/configs/a2-search.json)",
                    required: true),
            .option("data", value: "DIR", help: "where the data set is"),
            .flag("download", help: "if CIFAR-10 is not there, download it (162 MB), check its MD5 and unpack it"),
            .option("out", value: "DIR", help: "where the search directory goes", default: "runs"),
            .option("stage", value: "S", help: "coarse, fine or all; with --shard, only coarse runs", default: "all"),
            .option("parallel", value: "N", help: "trials at once",
                    default: "\(ProcessInfo.processInfo.activeProcessorCount)"),
            .option("shard", value: "K/N", help: "run only the K-th of N parts of each stage"),
            .repeatedOption("merge", value: "DIR", help: "a directory (OUT of another run) whose finished trials to join; repeatable"),
            .flag("quiet", help: "accepted as train accepts it (trials print no progress line anyway)"),
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
        let stage = try args.choice("stage", as: SearchSession.Stage.self) ?? .all
        let data = try args.value("data", as: String.self)

        let config = try LambdaSearchConfig(json: JSONValue(contentsOf: URL(fileURLWithPath: path)), registries: registries)
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
        session.parallel = parallel
        if let shard { session.shard = shard }
        let start = Date()
        try session.run(stage)
        print(String(format: "search time: %.1f s with %d trial(s) at once", Date().timeIntervalSince(start), session.parallel))
        printBest(session)
        print(session.directory.path)
    }

    static func printBest(_ session: SearchSession) {
        for (rank, o) in session.ranking.prefix(3).enumerated() {
            print(String(format: "#%d %@ λ=%.4e: validation %.2f%%", rank + 1, o.trial.id, o.trial.lambda, 100 * o.validationAccuracy))
        }
    }
}
