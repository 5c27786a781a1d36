import Foundation

// A minimal tar writer for test fixtures, written from the POSIX ustar layout so that the tests do not
// depend on a `tar` program. Names over 100 bytes get a GNU `././@LongLink` entry before their header.

/// One entry of a fixture archive.
struct TarEntry {
    var name: String
    /// The file's bytes; nil for a directory.
    var contents: [UInt8]?
    /// The type flag: "0" file, "5" directory, "2" symbolic link, "L" GNU long name, "x" pax header.
    var type: Character
    var linkName = ""

    static func file(_ name: String, _ contents: [UInt8]) -> TarEntry {
        TarEntry(name: name, contents: contents, type: "0")
    }

    static func directory(_ name: String) -> TarEntry {
        TarEntry(name: name.hasSuffix("/") ? name : name + "/", contents: nil, type: "5")
    }
}

/// The bytes of a tar archive holding `entries`, ended by two zero blocks.
func tarArchive(_ entries: [TarEntry]) -> [UInt8] {
    var bytes: [UInt8] = []
    for entry in entries {
        let data = entry.contents ?? []
        if entry.name.utf8.count > 100 {
            let longName = Array(entry.name.utf8) + [0]
            bytes += tarHeader(name: "././@LongLink", size: longName.count, type: "L")
            bytes += padded(longName)
        }
        bytes += tarHeader(name: String(decoding: entry.name.utf8.prefix(100), as: UTF8.self), size: data.count,
                           type: entry.type, linkName: entry.linkName)
        bytes += padded(data)
    }
    return bytes + [UInt8](repeating: 0, count: 1024)
}

/// A 512-byte ustar header with a correct checksum.
func tarHeader(name: String, size: Int, type: Character, linkName: String = "", prefix: String = "") -> [UInt8] {
    var header = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, at offset: Int, width: Int) {
        for (i, byte) in text.utf8.prefix(width).enumerated() { header[offset + i] = byte }
    }
    func octal(_ value: Int, digits: Int) -> String {
        let text = String(value, radix: 8)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
    put(name, at: 0, width: 100)
    put(octal(type == "5" ? 0o755 : 0o644, digits: 7), at: 100, width: 8)
    put(octal(0, digits: 7), at: 108, width: 8)
    put(octal(0, digits: 7), at: 116, width: 8)
    put(octal(size, digits: 11), at: 124, width: 12)
    put(octal(1_700_000_000, digits: 11), at: 136, width: 12)
    header[156] = type.asciiValue ?? 0x30
    put(linkName, at: 157, width: 100)
    put("ustar", at: 257, width: 6)
    put("00", at: 263, width: 2)
    put(prefix, at: 345, width: 155)
    put("        ", at: 148, width: 8)
    let sum = header.reduce(0) { $0 + Int($1) }
    put(octal(sum, digits: 6), at: 148, width: 6)
    header[154] = 0
    header[155] = 0x20
    return header
}

/// `data` followed by zeros up to a whole number of 512-byte blocks.
func padded(_ data: [UInt8]) -> [UInt8] {
    data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
}

/// Entries for the files under `root`, with names relative to its parent (as `tar -C parent root`
/// writes them), directories before their files, in sorted order.
func tarEntries(of root: URL) throws -> [TarEntry] {
    let manager = FileManager.default
    var entries = [TarEntry.directory(root.lastPathComponent)]
    for name in try manager.contentsOfDirectory(atPath: root.path).sorted() {
        let url = root.appending(path: name)
        var isDirectory: ObjCBool = false
        _ = manager.fileExists(atPath: url.path, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            entries += try tarEntries(of: url).map { entry in
                var entry = entry
                entry.name = root.lastPathComponent + "/" + entry.name
                return entry
            }
        } else {
            entries.append(.file(root.lastPathComponent + "/" + name, Array(try Data(contentsOf: url))))
        }
    }
    return entries
}
