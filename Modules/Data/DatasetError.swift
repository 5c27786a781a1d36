import Foundation

/// A data file that cannot be read as the data set it should hold.
///
/// Every case names the file (or directory) and says what is wrong with it, so that a user who points
/// Backprop at the wrong folder, or at a half-downloaded file, can fix it without reading the source.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be opened.
    case missingFile(URL, reason: String)
    /// The file's size is not a whole number of records.
    case wrongSize(URL, size: Int, recordSize: Int)
    /// The file ends before the data its header (or its format) requires.
    case truncated(URL, expected: Int, found: Int)
    /// A label is not one of the data set's classes.
    case labelOutOfRange(URL, record: Int, label: Int, classCount: Int)
    /// The file should be gzip-compressed but does not start with the gzip magic bytes.
    case notGzip(URL)
    /// The gzip stream is damaged.
    case corruptGzip(URL, reason: String)
    /// An IDX file starts with the wrong magic number (for example, labels given where images belong).
    case wrongMagic(URL, found: UInt32, expected: UInt32)
    /// Two files that must describe the same examples disagree.
    case shapeMismatch(URL, URL, reason: String)
    /// A pickle that this reader cannot decode, with the byte offset where decoding stopped.
    case corruptPickle(URL, offset: Int, reason: String)
    /// A file whose content does not have the structure its format requires.
    case malformed(URL, reason: String)
    /// A directory that holds none of the layouts this reader knows.
    case unrecognizedLayout(URL, reason: String)
    /// Data sets that cannot be combined, or a request that the data cannot satisfy.
    case incompatible(reason: String)

    public var description: String {
        switch self {
        case let .missingFile(url, reason):
            return "\(url.path): cannot open the file (\(reason))"
        case let .wrongSize(url, size, recordSize):
            return "\(url.path): size \(size) bytes is not a multiple of the \(recordSize)-byte record size "
                + "(\(size / recordSize) whole records and \(size % recordSize) bytes left over)"
        case let .truncated(url, expected, found):
            return "\(url.path): truncated, the data needs at least \(expected) bytes but the file holds \(found)"
        case let .labelOutOfRange(url, record, label, classCount):
            return "\(url.path): record \(record) has label \(label), outside 0..<\(classCount)"
        case let .notGzip(url):
            return "\(url.path): not a gzip file (it does not start with the bytes 1f 8b)"
        case let .corruptGzip(url, reason):
            return "\(url.path): corrupt gzip data (\(reason))"
        case let .wrongMagic(url, found, expected):
            return "\(url.path): IDX magic number is \(hex(found)), expected \(hex(expected))"
        case let .shapeMismatch(first, second, reason):
            return "\(first.path) and \(second.path) do not match: \(reason)"
        case let .corruptPickle(url, offset, reason):
            return "\(url.path): cannot decode the pickle at byte \(offset): \(reason)"
        case let .malformed(url, reason):
            return "\(url.path): \(reason)"
        case let .unrecognizedLayout(url, reason):
            return "\(url.path): \(reason)"
        case let .incompatible(reason):
            return reason
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
