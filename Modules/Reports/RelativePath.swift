import Foundation

/// Paths between files of reports, for links that keep working when the folder holding both moves.
enum RelativePath {
    /// The path of `target` as seen from the directory `folder` (`../runs/a2-final-…/report.html`);
    /// both are made absolute and standard first. Without a common ancestor other than `/`, the
    /// absolute path.
    static func from(_ folder: URL, to target: URL) -> String {
        let from = folder.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let to = target.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var common = 0
        while common < min(from.count, to.count), from[common] == to[common] { common += 1 }
        guard common > 1 else { return target.standardizedFileURL.path }
        let ups = Array(repeating: "..", count: from.count - common)
        let path = (ups + to[common...]).joined(separator: "/")
        return path.isEmpty ? "." : path
    }
}
