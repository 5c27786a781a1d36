import BackpropReports
import Foundation
import Testing

@Suite("AtomicFile")
struct AtomicFileTests {
    @Test("writes the bytes and creates missing parent directories")
    func createsParents() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.url.appendingPathComponent("a/b/c/out.bin")
        let bytes = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        try AtomicFile.write(bytes, to: target)
        #expect(try Data(contentsOf: target) == bytes)
        #expect(try directory.contents(of: "a/b/c") == ["out.bin"])
    }

    @Test("replaces existing content, longer or shorter, and leaves no temporary file behind")
    func replaces() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.url.appendingPathComponent("history.csv")
        try AtomicFile.write(String(repeating: "long line\n", count: 100), to: target)
        try AtomicFile.write("epoch,loss\n1,2.3\n", to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "epoch,loss\n1,2.3\n")
        try AtomicFile.write("", to: target)
        #expect(try Data(contentsOf: target).isEmpty)
        #expect(try directory.contents() == ["history.csv"])
    }

    @Test("writes UTF-8 text")
    func utf8() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.url.appendingPathComponent("λ.txt")
        try AtomicFile.write("λ = 10⁻³ ✓", to: target)
        #expect(try Data(contentsOf: target) == Data("λ = 10⁻³ ✓".utf8))
    }

    @Test("a failed write names the path, keeps the old file and leaves no temporary file")
    func failure() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A directory in the way of the target: rename(2) refuses to put a file over it.
        let target = directory.url.appendingPathComponent("report.html")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        let error = try #require(throws: ReportFileError.self) {
            try AtomicFile.write("<html>", to: target)
        }
        guard case let .cannotWrite(path, _) = error else {
            Issue.record("expected cannotWrite, got \(error)")
            return
        }
        #expect(path == target.path)
        #expect(error.description.contains("report.html"))
        #expect(try directory.contents() == ["report.html"])

        // A parent that is a file cannot become a directory.
        let blocker = directory.url.appendingPathComponent("file")
        try AtomicFile.write("x", to: blocker)
        let nested = blocker.appendingPathComponent("child.txt")
        #expect(throws: ReportFileError.self) { try AtomicFile.write("y", to: nested) }
        #expect(try String(contentsOf: blocker, encoding: .utf8) == "x")
    }

    @Test("temporaries of killed writers are removed; those of live processes and other files are kept")
    func removesStaleTemporaries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A process that has exited: its ID names no live process (until the system reuses it).
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        let names = [
            ".metrics.json.tmp-\(dead)-12345", ".history.csv.tmp-\(getpid())-7", ".a.tmp-1-9", "metrics.json",
            ".hidden", ".b.tmp-x-1",
        ]
        for name in names { try Data("x".utf8).write(to: directory.url.appendingPathComponent(name)) }
        #expect(AtomicFile.removeStaleTemporaries(in: directory.url) == [".metrics.json.tmp-\(dead)-12345"])
        #expect(try directory.contents(of: "") == names.dropFirst().sorted())
        #expect(AtomicFile.removeStaleTemporaries(in: directory.url.appendingPathComponent("missing")) == [])
    }
}
