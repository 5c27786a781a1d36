import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Extraction of tar archives (POSIX ustar, GNU and pax), to unpack downloaded data sets without
/// running the `tar` tool.
///
/// Only regular files and directories are created. Symbolic and hard links, devices and FIFOs are
/// listed in `Summary.skipped` and not created, so an archive cannot plant a link that a later entry
/// writes through. Entry names that are absolute or contain a `..` component are rejected before
/// anything is written, and every header checksum is checked. Long names are read from GNU
/// `././@LongLink` entries and from the `path` record of pax extended headers.
///
/// Each file is written to a hidden temporary file beside its final name and renamed into place when
/// complete, so an interrupted extraction never leaves a half-written file under its real name.
///
/// ```swift
/// let tar = try Gzip.decompress(FileReading.bytes(of: archive), source: archive)
/// let summary = try TarArchive.extract(tar, to: directory, source: archive)
/// ```
public enum TarArchive {
    /// What an extraction created, as paths relative to the destination in archive order.
    public struct Summary: Sendable, Equatable {
        public var files: [String] = []
        public var directories: [String] = []
        /// Entries that are neither regular files nor directories, with their type flag.
        public var skipped: [String] = []
    }

    static let blockSize = 512

    /// Extracts the tar byte stream `bytes` into `directory`, which is created when missing.
    ///
    /// The names are checked before anything is written: a malformed archive writes nothing.
    ///
    /// - Parameters:
    ///   - bytes: the uncompressed tar stream.
    ///   - directory: where the entries are written, created when missing.
    ///   - source: the archive the bytes came from, named in errors.
    /// - Throws: `DatasetError.malformed` for a bad header checksum, an unsafe or empty name, or a
    ///   header that cannot be read; `DatasetError.truncated` when an entry's data is cut short;
    ///   `DatasetError.missingFile` when a file cannot be written.
    @discardableResult
    public static func extract(_ bytes: [UInt8], to directory: URL, source: URL) throws -> Summary {
        let entries = try self.entries(bytes, source: source)
        var summary = Summary()
        try createDirectory(directory, source: source)
        for entry in entries {
            let target = directory.appending(path: entry.name)
            switch entry.kind {
            case .directory:
                try createDirectory(target, source: source)
                summary.directories.append(entry.name)
            case .file(let range):
                try createDirectory(target.deletingLastPathComponent(), source: source)
                try writeAtomically(bytes[range], to: target, mode: entry.mode, source: source)
                summary.files.append(entry.name)
            case .other(let flag):
                summary.skipped.append("\(entry.name) (type '\(flag)')")
            }
        }
        return summary
    }

    // MARK: - Reading the headers

    enum Kind: Equatable {
        case file(Range<Int>)
        case directory
        case other(Character)
    }

    struct Entry: Equatable {
        var name: String
        var kind: Kind
        var mode: mode_t
    }

    /// The entries of the archive, with their checked names and the byte ranges of the files' data.
    static func entries(_ bytes: [UInt8], source: URL) throws -> [Entry] {
        var entries: [Entry] = []
        var offset = 0
        var longName: String?
        while offset + blockSize <= bytes.count {
            let headerOffset = offset
            let header = bytes[offset..<(offset + blockSize)]
            // The end marker is two zero blocks; a single one at the very end is accepted as well.
            if header.allSatisfy({ $0 == 0 }) { return entries }
            try checkChecksum(header, at: offset, source: source)
            let size = try number(header, 124, 12, field: "size", at: offset, source: source)
            let dataStart = offset + blockSize
            guard size <= bytes.count - dataStart else {
                throw DatasetError.truncated(source, expected: dataStart + size, found: bytes.count)
            }
            let data = dataStart..<(dataStart + size)
            offset = dataStart + (size + blockSize - 1) / blockSize * blockSize
            let flag = Character(Unicode.Scalar(header[header.startIndex + 156]))
            switch flag {
            case "L":  // GNU: the data is the next entry's full name
                longName = string(bytes[data])
                continue
            case "x":  // pax: "length key=value\n" records, of which only the path matters here
                longName = paxPath(bytes[data]) ?? longName
                continue
            case "g", "K":  // pax global header, GNU long link target: nothing that changes where files go
                continue
            default:
                break
            }
            var name = longName ?? headerName(header)
            longName = nil
            let isDirectory = flag == "5" || name.hasSuffix("/")
            name = try safeName(name, isDirectory: isDirectory, at: headerOffset, source: source)
            // `tar -C folder .` starts with the entry "./", the destination itself.
            if name.isEmpty { continue }
            let mode = mode_t(truncatingIfNeeded: (try? number(header, 100, 8, field: "mode", at: 0, source: source)) ?? 0o644)
            let kind: Kind = switch flag {
            case "0", "\0", "7", "5": isDirectory ? .directory : .file(data)
            default: .other(flag)
            }
            entries.append(Entry(name: name, kind: kind, mode: mode & 0o777))
        }
        guard offset == bytes.count else {
            throw DatasetError.truncated(source, expected: offset + blockSize, found: bytes.count)
        }
        return entries
    }

    /// The name of a ustar header: the `prefix` field, a slash and the `name` field when there is a prefix.
    private static func headerName(_ header: ArraySlice<UInt8>) -> String {
        let base = header.startIndex
        let name = string(header[base..<(base + 100)])
        let isUstar = header[(base + 257)..<(base + 262)].elementsEqual("ustar".utf8)
        // GNU tar writes "ustar  " and uses the prefix bytes for other fields, so only POSIX ustar has one.
        let isPOSIX = isUstar && header[base + 262] == 0
        let prefix = isPOSIX ? string(header[(base + 345)..<(base + 500)]) : ""
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    /// The name without `.` and empty components (empty for a directory entry that names the
    /// destination itself), or an error for a name that could write outside the destination.
    static func safeName(_ name: String, isDirectory: Bool, at offset: Int, source: URL) throws -> String {
        func reject(_ reason: String) -> DatasetError {
            .malformed(source, reason: "tar entry '\(name)' (header at byte \(offset)) \(reason); nothing was extracted")
        }
        guard !name.hasPrefix("/") else { throw reject("has an absolute path") }
        let components = name.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !components.contains("..") else { throw reject("has a '..' component that would leave the destination") }
        guard !components.isEmpty || isDirectory else { throw reject("has an empty name") }
        if components.isEmpty { return "" }
        return components.joined(separator: "/") + (name.hasSuffix("/") ? "/" : "")
    }

    private static func checkChecksum(_ header: ArraySlice<UInt8>, at offset: Int, source: URL) throws {
        let stored = try number(header, 148, 8, field: "checksum", at: offset, source: source)
        var unsigned = 0, signed = 0
        for (index, byte) in header.enumerated() {
            let value = (148..<156).contains(index) ? 0x20 : byte
            unsigned += Int(value)
            signed += Int(Int8(bitPattern: value))
        }
        // Some old tar programs summed signed bytes; both sums are accepted, as GNU tar does.
        guard stored == unsigned || stored == signed else {
            throw DatasetError.malformed(source, reason: "tar header at byte \(offset) has checksum \(stored) "
                + "but its bytes sum to \(unsigned): the archive is damaged or not a tar file")
        }
    }

    /// A numeric header field: octal digits (space or NUL terminated), or GNU base-256 when the first
    /// byte has its high bit set.
    private static func number(_ header: ArraySlice<UInt8>, _ start: Int, _ length: Int, field: String,
                               at offset: Int, source: URL) throws -> Int {
        let bytes = header[(header.startIndex + start)..<(header.startIndex + start + length)]
        if let first = bytes.first, first & 0x80 != 0 {
            // Base-256, big-endian after the marker bit; 0xff marks a negative number, never valid here.
            var value = Int(first & 0x7f)
            for byte in bytes.dropFirst() {
                guard first != 0xff, value < Int.max >> 8 else {
                    throw DatasetError.malformed(source, reason: "tar header at byte \(offset): \(field) is out of range")
                }
                value = value << 8 | Int(byte)
            }
            return value
        }
        let text = string(bytes).trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return 0 }
        guard let value = Int(text, radix: 8), value >= 0 else {
            throw DatasetError.malformed(source, reason: "tar header at byte \(offset) has \(field) '\(text)', "
                + "not an octal number: the archive is damaged or not a tar file")
        }
        return value
    }

    /// The text of a NUL-terminated (or full-width) field.
    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The value of the `path` record of a pax extended header, if any.
    private static func paxPath(_ data: ArraySlice<UInt8>) -> String? {
        var rest = data[...]
        var path: String?
        // Each record is "<length> <key>=<value>\n", the length counting the whole record.
        while let space = rest.firstIndex(of: 0x20), let length = Int(string(rest[..<space])), length > 0,
              length <= rest.count {
            let record = rest[(space + 1)..<(rest.startIndex + length)]
            if let equals = record.firstIndex(of: 0x3d), string(record[..<equals]) == "path" {
                path = String(decoding: record[(equals + 1)...].dropLast(record.last == 0x0a ? 1 : 0), as: UTF8.self)
            }
            rest = rest[(rest.startIndex + length)...]
        }
        return path
    }

    // MARK: - Writing

    private static func createDirectory(_ url: URL, source: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw DatasetError.missingFile(url, reason: "cannot create the directory while extracting \(source.lastPathComponent): \(error.localizedDescription)")
        }
    }

    /// Writes `data` to a temporary file next to `target` and renames it into place.
    private static func writeAtomically(_ data: ArraySlice<UInt8>, to target: URL, mode: mode_t, source: URL) throws {
        let temporary = target.deletingLastPathComponent()
            .appending(path: ".\(target.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
        func failure(_ what: String) -> DatasetError {
            .missingFile(target, reason: "\(what) while extracting \(source.lastPathComponent): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, mode == 0 ? 0o644 : mode | 0o600)
        guard descriptor >= 0 else { throw failure("cannot create a temporary file") }
        var written = 0
        let complete = data.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let n = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                written += n
            }
            return true
        }
        let closed = close(descriptor) == 0
        guard complete, closed else {
            let error = failure("cannot write")
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, target.path) == 0 else {
            let error = failure("cannot rename the temporary file into place")
            unlink(temporary.path)
            throw error
        }
    }
}
