/// The version of Backprop, printed by `backprop --version` and `backprop version`.
public enum BackpropVersion {
    /// Semantic versioning: the release this source is, or will be, tagged as.
    public static let current = "0.9.0"
}
