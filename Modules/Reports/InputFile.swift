import Foundation

/// Whole-file reads of the files `backprop predict` and model loading are given (`.npy`, `.png`,
/// `model.json`), checked
/// before reading: a directory, a device (`/dev/zero` never ends) or a file over the limit is an error
/// naming it, never a hang or an allocation of its size.
enum InputFile {
    /// The largest input read: 1 GiB, far above any weight matrix or image Backprop reads.
    static let maximumSize = 1 << 30

    /// The content of the regular file at `url`, at most `maximumSize` bytes.
    ///
    /// - Throws: `ReportFileError.cannotRead` naming the file and the reason.
    static func data(of url: URL, maximumSize: Int = maximumSize) throws -> Data {
        func unreadable(_ reason: String) -> ReportFileError { .cannotRead(path: url.path, reason: reason) }
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path) } catch {
            throw unreadable("no such file")
        }
        switch attributes[.type] as? FileAttributeType {
        case .typeRegular?: break
        case .typeDirectory?: throw unreadable("it is a directory, not a file")
        default: throw unreadable("it is not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumSize else { throw unreadable("it is \(size) bytes; at most \(maximumSize) are read") }
        do { return try Data(contentsOf: url) } catch {
            throw unreadable(error.localizedDescription)
        }
    }
}
