import Foundation

/// The kind of number a table column holds, which decides how its cells are shown to people.
///
/// Semantics:
/// - `accuracy` (a column name containing `accuracy`): a percentage with two decimals, `38.71%`.
/// - `rate` (a name containing `lambda`, `λ`, `eta` or `rate`): scientific notation with four
///   significant digits, `2.100e-04` (zero, λ = 0 say, is `0`).
/// - `plain`: `significantDigits` significant digits when given, otherwise the CSV text.
/// - Any kind: a number that is not finite is shown as "diverged" (a run whose loss overflowed),
///   never as `nan` or `-nan`; text, integers and empty cells are shown as they are.
enum NumberKind: Equatable {
    case accuracy
    case rate
    case plain

    init(column: String) {
        let name = column.lowercased()
        if name.contains("accuracy") {
            self = .accuracy
        } else if ["lambda", "λ", "eta", "rate"].contains(where: name.contains) {
            self = .rate
        } else {
            self = .plain
        }
    }

    /// The text of `cell` in this kind's format.
    func text(of cell: CSVTable.Cell, significantDigits: Int?) -> String {
        guard case let .number(value) = cell else { return cell.text }
        guard value.isFinite else { return "diverged" }
        switch self {
        case .accuracy: return Self.percent(value)
        case .rate: return Self.rate(value)
        case .plain: return cell.text(significantDigits: significantDigits)
        }
    }

    /// A rate in scientific notation with four significant digits: 0.00021 → `2.100e-04`; zero is `0`.
    static func rate(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.3e", value)
    }

    /// A fraction as a percentage with two decimals: 0.38712 → `38.71%`.
    static func percent(_ fraction: Double) -> String {
        fraction.isFinite ? String(format: "%.2f%%", 100 * fraction) : "diverged"
    }
}
