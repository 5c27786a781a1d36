/// An error reading or writing one of the files a report is made of.
///
/// Every case names the file, so that a failed run says which output could not be written or which
/// input is damaged without the user reading Backprop's source.
public enum ReportFileError: Error, Equatable, CustomStringConvertible {
    /// The file (or its temporary sibling, or a parent directory) could not be written.
    case cannotWrite(path: String, reason: String)
    /// The file could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// The file was read but is not a valid `.npy` array Backprop can load.
    case malformedNumpy(path: String, reason: String)
    /// Values handed to an image builder do not describe an image of the requested size.
    case invalidImage(reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        case let .cannotRead(path, reason):
            return "cannot read \(path): \(reason)"
        case let .malformedNumpy(path, reason):
            return "\(path) is not a valid .npy file: \(reason)"
        case let .invalidImage(reason):
            return "invalid image: \(reason)"
        }
    }
}
