import Foundation

/// A scratch file per fuzzing process, for readers that take a path: each input is written to it, then read.
public struct FuzzFile: Sendable {
    /// The folder holding the scratch files of this process (in `/dev/shm` when there is one: no disk writes).
    public let directory: URL

    public init() {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(filePath: "/dev/shm") : FileManager.default.temporaryDirectory
        directory = base.appending(path: "backprop-fuzz-\(ProcessInfo.processInfo.processIdentifier)", directoryHint: .isDirectory)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to the scratch file `name` and returns its URL.
    public func write(_ bytes: UnsafeBufferPointer<UInt8>, name: String) -> URL {
        let url = directory.appending(path: name)
        try? Data(buffer: bytes).write(to: url)
        return url
    }
}

/// The scratch folder of this process.
public let fuzzScratch = FuzzFile()
