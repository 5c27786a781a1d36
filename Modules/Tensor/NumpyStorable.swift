/// A scalar that `.npy` files can hold.
///
/// Semantics: `numpyDescriptor` is NumPy's type string for the scalar in little-endian order, and the
/// scalar's in-memory bytes on a little-endian machine are exactly what such a file stores.
public protocol NumpyStorable {
    /// The NumPy type string of the scalar in little-endian order (`<f4`, `<f8`).
    static var numpyDescriptor: String { get }
}
