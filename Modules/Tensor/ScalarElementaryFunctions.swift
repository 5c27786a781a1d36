/// `exp` and `log` for code generic over the scalar (the standard library has no generic ones).
///
/// Semantics: the platform's correctly rounded-or-nearly functions of the type (`expf`/`logf` for
/// `Float`), so that generic code computes what concrete code would.
public protocol ScalarElementaryFunctions: BinaryFloatingPoint {
    /// The natural exponential.
    static func exponential(_ x: Self) -> Self
    /// The natural logarithm.
    static func logarithm(_ x: Self) -> Self
}
