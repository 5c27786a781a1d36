import Foundation

extension JSONValue {
    /// The largest configuration file read: far above any experiment, far below what would exhaust memory.
    public static let maximumFileSize = 16 << 20

    /// Reads and parses the JSON file at `url` (an experiment, a search).
    ///
    /// - Throws: `ConfigurationError.unreadableFile` naming the file when it does not exist, is a
    ///   directory or not a regular file (`/dev/zero`), is larger than `maximumFileSize`, or cannot be
    ///   read; `malformedJSON` when its text is not JSON.
    public init(contentsOf url: URL) throws {
        let path = url.path
        func unreadable(_ reason: String) -> ConfigurationError { .unreadableFile(path: path, reason: reason) }
        let attributes: [FileAttributeKey: Any]
        // The link's target is what is read: a link to /dev/zero must not pass as a small link.
        do { attributes = try FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path) } catch {
            throw unreadable("no such file")
        }
        switch attributes[.type] as? FileAttributeType {
        case .typeRegular?: break
        case .typeDirectory?: throw unreadable("it is a directory, not a JSON file")
        default: throw unreadable("it is not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= Self.maximumFileSize else {
            throw unreadable("it is \(size) bytes; a configuration file is at most \(Self.maximumFileSize)")
        }
        let data: Foundation.Data
        do { data = try Foundation.Data(contentsOf: url) } catch {
            throw unreadable(error.localizedDescription)
        }
        try self.init(parsing: data, source: path)
    }
}
