import Foundation

/// A data-set download that failed, with what to do by hand.
///
/// Every case names the address and the folder the archive should go to, so that a user without
/// internet access (or behind a proxy) can fetch the file elsewhere and finish the job offline: an
/// archive found in that folder is checked and unpacked instead of being downloaded.
public enum DownloadError: Error, Equatable, CustomStringConvertible {
    /// The server could not be reached, or the transfer broke off.
    case network(URL, destination: URL, reason: String)
    /// The server answered with an HTTP status other than 2xx.
    case httpStatus(URL, destination: URL, status: Int)
    /// The file's MD5 is not the published one; `removed` says whether the damaged file was deleted.
    case checksumMismatch(URL, expected: String, found: String, removed: Bool)

    public var description: String {
        switch self {
        case let .network(url, destination, reason):
            return "cannot download \(url.absoluteString): \(reason)\n" + Self.manualSteps(url, destination)
        case let .httpStatus(url, destination, status):
            return "cannot download \(url.absoluteString): the server answered HTTP \(status) "
                + "(\(HTTPStatus.phrase(status)))\n" + Self.manualSteps(url, destination)
        case let .checksumMismatch(url, expected, found, removed):
            let fate = removed ? "the file was deleted; run again to download it afresh"
                : "delete \(url.path) or replace it with a good copy"
            return "\(url.isFileURL ? url.path : url.absoluteString): MD5 checksum is \(found) but the published one "
                + "is \(expected), so the file is damaged or incomplete (\(fate))"
        }
    }

    /// How to fetch `url` without Backprop's help and where to put it.
    static func manualSteps(_ url: URL, _ destination: URL) -> String {
        let name = url.lastPathComponent
        return """
            To get it by hand (for example on a machine with internet access):
              1. download \(url.absoluteString)
                 (in a browser, or: curl -LO \(url.absoluteString))
              2. put \(name) in \(destination.path)/ and run again (with --download):
                 the file is checked and unpacked; or unpack it yourself: tar xzf \(name) -C \(destination.path)
            """
    }
}

/// Reason phrases for the HTTP statuses a download is likely to meet.
enum HTTPStatus {
    static func phrase(_ status: Int) -> String {
        switch status {
        case 301, 302, 303, 307, 308: "a redirect that was not followed"
        case 401, 403: "access denied"
        case 404: "not found; the address may have moved"
        case 407: "a proxy needs authentication"
        case 429: "too many requests; wait and retry"
        case 500..<600: "a server error; retry later"
        default: "unexpected status"
        }
    }
}
