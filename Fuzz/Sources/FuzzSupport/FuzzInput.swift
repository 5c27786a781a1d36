@_exported import CFuzzDriver
import Foundation

/// One fuzzer input, for readers that take a file: written to a file of this process's own in memory
/// (`/dev/shm` when there is one), so that each execution costs microseconds, not a disk write.
///
/// Every target calls its reader and ignores thrown errors: an error is the correct answer to a bad
/// file. What the fuzzer looks for is anything else — a trap, a crash, a hang, an allocation beyond
/// libFuzzer's `-rss_limit_mb`.
public enum FuzzInput {
    /// The file each execution's bytes go to, named after the target and this process.
    public static func file(named name: String) -> URL {
        let shared = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
        let base = FileManager.default.fileExists(atPath: shared.path) ? shared : FileManager.default.temporaryDirectory
        return base.appendingPathComponent("backprop-fuzz-\(getpid())-\(name)")
    }

    /// The input's bytes.
    public static func bytes(_ start: UnsafeRawPointer, _ count: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// Writes the input to `url`, replacing what was there.
    public static func write(_ start: UnsafeRawPointer, _ count: Int, to url: URL) {
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes: start, count: count))
    }
}

/// Runs libFuzzer with the process's arguments on `test`, which gets each input's bytes: what every
/// target's entry point calls (SwiftPM names an executable's entry point `<Target>_main`, so the
/// targets define that and hand over to libFuzzer's driver).
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, test)
}
