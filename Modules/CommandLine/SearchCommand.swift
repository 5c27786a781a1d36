import Backprop
import Foundation

/// `backprop search --config FILE …` and `backprop search --merge DIR … --config FILE`.
enum SearchCommand {
    static let help = """
    USAGE: backprop search --config FILE [--data DIR] [--download] [--out DIR] [--stage coarse|fine|all]
                           [--parallel N] [--shard K/N]
           backprop search --config FILE --merge DIR [--merge DIR ...] [--out DIR]

    Coarse-to-fine search of the L2 strength λ = 10^l (see Examples/configs/a2-search.json). Each trial
    trains the file's experiment with its λ and is scored on the validation set; trials run N at a time
    (default: the number of cores) and each writes its own run directory under OUT/<name>/<stage>/.
    Writes OUT/<name>/search.csv, search.md (sorted by validation accuracy) and search.svg.

    Interrupted? Run the same command again: finished trials are kept, not redone.
    Many machines? Run '--stage coarse --shard K/N' on each (K = 1…N, e.g. a Slurm array job's
    task id), merge the directories with '--merge', then run '--stage fine' the same way.

    OPTIONS:
      --config FILE     the search (JSON)
      --data DIR        where the data set is
      --download        if CIFAR-10 is not there, download it (162 MB), check its MD5 and unpack it
      --out DIR         where the search directory goes (default: runs)
      --stage S         coarse, fine, or all (default: all; with --shard, only coarse runs)
      --parallel N      trials at once (default: \(ProcessInfo.processInfo.activeProcessorCount))
      --shard K/N       run only the K-th of N parts of each stage
      --merge DIR       a directory (OUT of another run) whose finished trials to join; repeatable
    """

    static func run(_ arguments: [String], registries: PluginRegistries) throws {
        let args = try Arguments(arguments, options: ["config", "data", "out", "stage", "parallel", "shard", "merge"],
                                 flags: ["quiet", "download"], command: "backprop search")
        guard let path = args["config"] else { throw CLIError.usage("search needs --config FILE (see Examples/configs/a2-search.json)") }
        let config = try LambdaSearchConfig(json: JSONValue(parsing: readFile(path), source: path), registries: registries)
        let base = URL(fileURLWithPath: args["out"] ?? "runs")
        if let merged = args.repeated["merge"] {
            let session = try SearchSession(search: config.search, base: base) { _ in
                throw CLIError.failed("merging trains nothing")
            }
            let added = try session.merge(from: merged.map { URL(fileURLWithPath: $0) })
            print("merged \(added) trial(s); \(session.ranking.count) finished in all")
            printBest(session)
            return
        }
        let parallel = try args.int("parallel") ?? ProcessInfo.processInfo.activeProcessorCount
        guard parallel >= 1 else { throw CLIError.usage("--parallel must be at least 1") }
        var shard = Shard.whole
        if let text = args["shard"] {
            guard let parsed = Shard(text) else { throw CLIError.usage("--shard must be K/N with 1 ≤ K ≤ N, got '\(text)'") }
            shard = parsed
        }
        let stageName = args["stage"] ?? "all"
        guard let stage = SearchSession.Stage(rawValue: stageName) else {
            throw CLIError.usage("--stage must be coarse, fine or all, got '\(stageName)'")
        }
        let (splits, standardizer) = try ExperimentSession.loadData(
            config.experiment.data, override: args["data"], download: args.has("download"))
        print("data: \(splits)")
        for note in splits.notes { print("note: \(note)") }
        var session = try SearchSession(config: config, base: base, splits: splits, standardizer: standardizer)
        session.parallel = parallel
        session.shard = shard
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

    static func readFile(_ path: String) throws -> Foundation.Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.failed("cannot read \(path)")
        }
        return data
    }
}
