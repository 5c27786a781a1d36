import Foundation

extension DatasetConfiguration {
    /// Loads the splits and standardises all three with the mean and standard deviation of the
    /// training split, as every experiment does; returns the standardiser so that a run can record it.
    ///
    /// The folder is `directory` resolved against `base`, as `resolvedDirectory(relativeTo:)` says; a
    /// `cache` keeps the files for later loads (see `DataFileCache`).
    public func loadStandardized(relativeTo base: URL? = nil, cache: DataFileCache? = nil) throws -> (DataSplits, Standardizer) {
        var splits = try load(relativeTo: base, cache: cache)
        let standardizer = splits.standardize()   // in place: no copy of a 150 MB training set
        return (splits, standardizer)
    }
}
