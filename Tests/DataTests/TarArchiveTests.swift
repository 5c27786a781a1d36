import BackpropData
import BackpropTestSupport
import Foundation
import Testing

@Suite("Tar archives")
struct TarArchiveTests {
    let source = URL(filePath: "/tmp/fixture.tar")

    func contents(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    /// Every name under `directory`, hidden ones included, relative to it and sorted.
    func listing(_ directory: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        return (enumerator?.allObjects as? [String] ?? []).sorted()
    }

    @Test func extractsFilesAndDirectories() throws {
        let directory = try makeDatasetFixtureDirectory("tar")
        let big = (0..<1300).map { UInt8(truncatingIfNeeded: $0 * 31) }  // spans three blocks, padded
        let archive = tarArchive([
            .directory("./"), .directory("top"), .file("top/a.txt", Array("alpha\n".utf8)), .file("./top/sub/big.bin", big),
            .file("top/empty", []), .directory("top/emptydir"),
        ])
        let summary = try TarArchive.extract(archive, to: directory.appending(path: "out"), source: source)
        #expect(summary.files == ["top/a.txt", "top/sub/big.bin", "top/empty"])
        #expect(summary.directories == ["top/", "top/emptydir/"])
        #expect(summary.skipped.isEmpty)
        let out = directory.appending(path: "out/top")
        #expect(try contents(out.appending(path: "a.txt")) == Array("alpha\n".utf8))
        #expect(try contents(out.appending(path: "sub/big.bin")) == big)
        #expect(try contents(out.appending(path: "empty")) == [])
        // No temporary files are left beside the extracted ones.
        #expect(listing(out) == ["a.txt", "empty", "emptydir", "sub", "sub/big.bin"])
    }

    @Test func readsWhatGNUTarWrites() throws {
        // `tar --format=gnu --sort=name -cf - dir | gzip -n -9 | base64` (GNU tar 1.34) of: dir/hello.txt
        // ("hello\n"), dir/link -> hello.txt, dir/<"n" × 120> ("long\n", a ././@LongLink entry),
        // dir/sub/empty, dir/sub/six-hundred.txt (600 × "x").
        let base64 = "H4sIAAAAAAACA+3YSw6CMBQF0I5dRTcg9PVDpy6ATWggSkQ0fBLcvU1nMBBNbDHhngmE6W1v3qOo2pQFJhxrjH8686d/J2201kJI/z0zpBg3LIKh648t52yjCpf/pazre9KPfcD8M63f5J9N8yehjMtfIP/gfPY7Bhu+/3XVXIP3v7Wf9z+RVJpxGbqYcP9ZkibpIb835zzcIVjqf7Jmchb8ackYz9H/Ue5/sxK07zbyX57/zLT/lZIkMP/FULvqx/i37fvfDaeg/wC+3/+tEhr7f8z8y9ujf662/wvs/yvn31Xj/jI0RVsWP1+4FvInUvP8pbQS+ccwAgSAyQoAAAAAAADgf7wAVHmV6gAoAAA="
        let gzip = try #require(Data(base64Encoded: base64))
        let archive = try Gzip.decompress(Array(gzip), source: source)
        #expect(archive.count == 10240)
        let directory = try makeDatasetFixtureDirectory("tar")
        let summary = try TarArchive.extract(archive, to: directory, source: source)
        let long = "dir/" + String(repeating: "n", count: 120)
        #expect(summary.files == ["dir/hello.txt", long, "dir/sub/empty", "dir/sub/six-hundred.txt"])
        #expect(summary.directories == ["dir/", "dir/sub/"])
        #expect(summary.skipped == ["dir/link (type '2')"])
        #expect(try contents(directory.appending(path: "dir/hello.txt")) == Array("hello\n".utf8))
        #expect(try contents(directory.appending(path: long)) == Array("long\n".utf8))
        #expect(try contents(directory.appending(path: "dir/sub/six-hundred.txt")) == Array(repeating: 0x78, count: 600))
        // The symbolic link is not created.
        #expect(!FileManager.default.fileExists(atPath: directory.appending(path: "dir/link").path))
    }

    @Test func readsLongNamesFromGNUAndPaxHeadersAndTheUstarPrefix() throws {
        let directory = try makeDatasetFixtureDirectory("tar")
        let gnuName = "deep/" + String(repeating: "g", count: 140) + ".bin"
        let paxName = "deep/" + String(repeating: "p", count: 130)
        let paxRecord = "path=\(paxName)\n"
        // The length counts its own digits: 3 digits + space + the record.
        let pax = Array("\(paxRecord.utf8.count + 4) \(paxRecord)".utf8)
        var archive = tarArchive([.file(gnuName, [1, 2, 3])]).dropLast(1024)
        archive += tarHeader(name: "PaxHeaders/x", size: pax.count, type: "x") + padded(pax)
        archive += tarHeader(name: "truncated-name", size: 2, type: "0") + padded([4, 5])
        archive += tarHeader(name: "file.txt", size: 1, type: "0", prefix: "under/a/prefix") + padded([6])
        archive += [UInt8](repeating: 0, count: 1024)
        let summary = try TarArchive.extract(Array(archive), to: directory, source: source)
        #expect(summary.files == [gnuName, paxName, "under/a/prefix/file.txt"])
        #expect(try contents(directory.appending(path: gnuName)) == [1, 2, 3])
        #expect(try contents(directory.appending(path: paxName)) == [4, 5])
        #expect(try contents(directory.appending(path: "under/a/prefix/file.txt")) == [6])
    }

    @Test func damagedHeaderChecksumIsAnError() throws {
        var archive = tarArchive([.file("a.txt", Array("alpha".utf8)), .file("b.txt", Array("beta".utf8))])
        archive[1024 + 3] ^= 0x01  // the second header's name: "b.t" becomes "b.u"
        let directory = try makeDatasetFixtureDirectory("tar")
        let error = try #require(throws: DatasetError.self) {
            try TarArchive.extract(archive, to: directory, source: source)
        }
        #expect(error.description.hasPrefix("/tmp/fixture.tar: tar header at byte 1024 has checksum"))
        #expect(error.description.contains("the archive is damaged or not a tar file"))
        // The archive is checked before writing, so not even the good first file was extracted.
        #expect(listing(directory).isEmpty)
    }

    @Test func fileWithoutANameIsAnError() throws {
        let directory = try makeDatasetFixtureDirectory("tar")
        let error = try #require(throws: DatasetError.self) {
            try TarArchive.extract(tarArchive([.file(".", [1])]), to: directory, source: source)
        }
        #expect(error.description.contains("tar entry '.' (header at byte 0) has an empty name"))
    }

    @Test func notATarFileIsAnError() throws {
        let text = Array(String(repeating: "not a tar file. ", count: 64).utf8)
        let directory = try makeDatasetFixtureDirectory("tar")
        #expect(throws: DatasetError.self) { try TarArchive.extract(text, to: directory, source: source) }
    }

    @Test(arguments: ["../evil", "a/../../evil", "ok/../../evil/", "/etc/evil", "./.."])
    func pathsLeavingTheDestinationAreRejected(name: String) throws {
        let parent = try makeDatasetFixtureDirectory("tar")
        let directory = parent.appending(path: "out")
        let archive = tarArchive([.file("harmless.txt", [1]), .file(name, Array("pwned".utf8))])
        let error = try #require(throws: DatasetError.self) {
            try TarArchive.extract(archive, to: directory, source: source)
        }
        guard case .malformed(let url, let reason) = error else {
            Issue.record("expected .malformed, got \(error)")
            return
        }
        #expect(url == source)
        #expect(reason.hasPrefix("tar entry '\(name)' (header at byte 1024) has"))
        #expect(reason.contains(name.hasPrefix("/") ? "an absolute path" : "'..' component"))
        #expect(listing(parent).isEmpty)
    }

    @Test func truncatedEntryIsAnError() throws {
        let archive = tarArchive([.file("big.bin", [UInt8](repeating: 7, count: 2000))])
        let directory = try makeDatasetFixtureDirectory("tar")
        let error = try #require(throws: DatasetError.self) {
            try TarArchive.extract(Array(archive.prefix(1024)), to: directory, source: source)
        }
        #expect(error == .truncated(source, expected: 512 + 2000, found: 1024))
        #expect(listing(directory).isEmpty)
    }

    @Test func aFailedWriteLeavesNoPartialFile() throws {
        let directory = try makeDatasetFixtureDirectory("tar")
        // A non-empty directory where the file should go: the rename into place fails.
        try FileManager.default.createDirectory(at: directory.appending(path: "taken/inside"), withIntermediateDirectories: true)
        let archive = tarArchive([.file("taken", [UInt8](repeating: 1, count: 700))])
        let error = try #require(throws: DatasetError.self) {
            try TarArchive.extract(archive, to: directory, source: source)
        }
        #expect(error.description.contains("cannot rename the temporary file into place while extracting fixture.tar"))
        #expect(listing(directory) == ["taken", "taken/inside"])
    }
}
