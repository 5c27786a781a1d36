import BackpropTestSupport
import Foundation
import Testing

@testable import BackpropCommandLine

@Suite("Slurm jobs of a search")
struct SlurmSearchJobsTests {
    let jobs = SlurmSearchJobs(
        executable: "/opt/backprop/bin/backprop", config: "/home/me/my search.json", data: "/data/cifar", out: "/scratch/runs",
        name: "a2", shards: 4, cpus: 2, memoryMB: 3000, time: "1:30:00", options: ["--partition=long"])

    @Test func theArrayRunsOneShardPerTaskAndTheMergeTheFineStage() {
        let shards = jobs.shardsScript, merge = jobs.mergeScript
        #expect(shards.hasPrefix("#!/bin/bash\n"))
        for line in ["#SBATCH --array=1-4", "#SBATCH --cpus-per-task=2", "#SBATCH --mem=3000M", "#SBATCH --time=1:30:00",
                     "#SBATCH --requeue", "#SBATCH --partition=long", "#SBATCH --output=/scratch/runs/a2/slurm/shard-%A_%a.out"] {
            #expect(shards.contains(line + "\n"), "\(line)")
        }
        #expect(shards.contains("""
            exec /opt/backprop/bin/backprop search --config '/home/me/my search.json' --data /data/cifar \
            --out /scratch/runs --parallel 2 --stage coarse --shard "${SLURM_ARRAY_TASK_ID}/4"
            """))
        #expect(!merge.contains("--array") && merge.contains("--stage fine\n") && merge.contains("#SBATCH --job-name=a2-merge"))
        #expect(SlurmSearchJobs.quoted("it's") == "'it'\\''s'")
    }

    /// `--submit` with a stand-in `sbatch` on the PATH that records its arguments and prints job ids.
    @Test func submittingChainsTheMergeAfterTheArray() throws {
        guard let backprop = ExecutablesTests.built("backprop") else { return }
        let work = try makeDatasetFixtureDirectory("slurm")
        defer { try? FileManager.default.removeItem(at: work) }
        try writeCIFAR10BinaryFixture(to: work.appending(path: "data"), imagesPerBatch: 30, seed: 2, testImages: 10)
        try """
            {"name": "s", "l_min": -3, "l_max": -1, "coarse": {"grid": 3},
             "experiment": {"data": {"kind": "cifar10", "split": "batch1"}, "model": {"hidden": [4]},
                            "training": {"batch_size": 10, "steps": 3}, "schedule": {"name": "constant", "eta": 0.01}}}
            """.write(to: work.appending(path: "s.json"), atomically: true, encoding: .utf8)
        let fake = work.appending(path: "bin/sbatch")
        try FileManager.default.createDirectory(at: fake.deletingLastPathComponent(), withIntermediateDirectories: true)
        try """
            #!/bin/sh
            echo "$@" >> "\(work.path)/sbatch.log"
            n=$(wc -l < "\(work.path)/sbatch.log")
            echo "$((40 + n))"
            """.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)

        let process = Process()
        process.executableURL = backprop
        process.arguments = ["search", "--config", work.appending(path: "s.json").path, "--data", work.appending(path: "data").path,
                             "--out", work.appending(path: "out").path, "--slurm", "--shards", "2", "--submit"]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = fake.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("submitted the array job 41 of 2 shard(s) and the merge job 42 after it"), "\(text)")
        let calls = try String(contentsOf: work.appending(path: "sbatch.log"), encoding: .utf8).split(separator: "\n")
        #expect(calls.count == 2)
        #expect(calls.first?.hasSuffix("out/s/slurm/shards.sbatch") == true && calls.first?.hasPrefix("--parsable ") == true)
        #expect(calls.last?.hasPrefix("--parsable --dependency=afterok:41 ") == true)
    }
}
