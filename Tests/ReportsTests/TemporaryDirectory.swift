import Foundation

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("backprop-reports-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func contents(of subdirectory: String = "") throws -> [String] {
        let directory = subdirectory.isEmpty ? url : url.appendingPathComponent(subdirectory)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
