import BackpropTestSupport
import Foundation
import Testing

@testable import BackpropCommandLine

/// Two `backprop search` processes on one directory share the trials (issue 14, defect 3): each trial
/// is trained once, by whichever process claimed it, and both end with every trial finished.
@Suite("Searches sharing a directory")
struct SearchClaimTests {
    @Test func twoProcessesOnOneSearchTrainEachTrialOnce() throws {
        guard let backprop = ExecutablesTests.built("backprop") else { return }
        let work = try makeDatasetFixtureDirectory("claims")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appending(path: "data")
        try writeCIFAR10BinaryFixture(to: data, imagesPerBatch: 60, seed: 3, testImages: 30)
        let config = """
            {"name": "shared", "seed": 7, "l_min": -4, "l_max": -1,
             "coarse": {"grid": 8}, "fine": {"grid": 2, "top": 2},
             "experiment": {"seed": 1, "data": {"kind": "cifar10", "split": "batch1"},
                            "model": {"hidden": [8]}, "training": {"batch_size": 10, "steps": 60},
                            "schedule": {"name": "constant", "eta": 0.01}, "evaluation": {"times": 2}}}
            """
        let file = work.appending(path: "search.json")
        try config.write(to: file, atomically: true, encoding: .utf8)

        func start(_ log: URL) throws -> Process {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = backprop
            process.arguments = ["search", "--config", file.path, "--data", data.path, "--out", work.appending(path: "out").path,
                                 "--parallel", "1"]
            process.standardOutput = try FileHandle(forWritingTo: log)
            process.standardError = process.standardOutput
            try process.run()
            return process
        }
        let logs = [work.appending(path: "a.log"), work.appending(path: "b.log")]
        let processes = try logs.map(start)
        for process in processes { process.waitUntilExit() }
        let texts = try logs.map { try String(contentsOf: $0, encoding: .utf8) }
        #expect(processes.map(\.terminationStatus) == [0, 0], "\(texts)")

        // The trials each process trained: its lines "coarse-03 l=… lambda=…: validation …".
        let trained = texts.map { text in
            text.split(separator: "\n").compactMap { line in
                let id = String(line.prefix { $0 != " " })
                return (id.hasPrefix("coarse-") || id.hasPrefix("fine-")) && line.contains(" lambda=") ? id : nil
            }
        }
        let all = trained[0] + trained[1]
        #expect(all.count == 10, "each of 8 coarse and 2 fine trials trained once: \(trained)")
        #expect(Set(all).count == all.count, "no trial trained twice: \(trained)")
        let searchDirectory = work.appending(path: "out/shared")
        for stage in ["coarse", "fine"] {
            let trials = try FileManager.default.contentsOfDirectory(atPath: searchDirectory.appending(path: stage).path)
            for trial in trials {
                let folder = searchDirectory.appending(path: "\(stage)/\(trial)")
                #expect(FileManager.default.fileExists(atPath: folder.appending(path: "trial.json").path), "\(trial)")
                #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "claim.json").path), "\(trial)")
            }
        }
    }

    @Test func aClaimOfALiveProcessHoldsAndAStaleOneIsTakenOver() throws {
        let work = try makeDatasetFixtureDirectory("claim")
        defer { try? FileManager.default.removeItem(at: work) }
        let claimFile = work.appending(path: TrialClaim.fileName)
        func holder(host: String, pid: Int32) throws {
            try "{\"host\": \"\(host)\", \"pid\": \(pid)}".write(to: claimFile, atomically: false, encoding: .utf8)
        }
        // Held by a live process of this host (process 1 always exists): not taken.
        try holder(host: TrialClaim.hostName, pid: 1)
        #expect(try TrialClaim.take(in: work) == nil)
        // Held by another node and refreshed recently: not taken, whatever its process ID.
        try holder(host: "elsewhere.invalid", pid: 999_999)
        #expect(try TrialClaim.take(in: work) == nil)
        // The same, untouched for longer than staleAfter: taken over, and the file now names this process.
        var old = utimbuf(actime: time(nil) - 1000, modtime: time(nil) - 1000)
        #expect(utime(claimFile.path, &old) == 0)
        let taken = try #require(try TrialClaim.take(in: work))
        #expect(try String(contentsOf: claimFile, encoding: .utf8).contains("\"pid\": \(getpid())"))
        #expect(try TrialClaim.take(in: work) == nil)   // this process's own live claim holds too
        taken.release()
        #expect(!FileManager.default.fileExists(atPath: claimFile.path))
        // Held by a process of this host that has exited: taken over at once.
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        try holder(host: TrialClaim.hostName, pid: finished.processIdentifier)
        let again = try #require(try TrialClaim.take(in: work))
        again.release()
    }
}
