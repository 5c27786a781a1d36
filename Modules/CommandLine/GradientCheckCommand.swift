import Backprop
import Foundation

/// `backprop gradcheck`: analytic against numerical gradients for the standard models.
enum GradientCheckCommand {
    static let interface = CommandInterface(
        name: "gradcheck",
        abstract: "compare analytic and numerical gradients (Double precision)",
        discussion: """
            Compares analytic gradients with centred differences (h = 1e-5) in Double precision for the linear
            classifier, the 2-layer ReLU network and the same with batch normalisation (2-layer-bn, with the
            batch's statistics), with L2 λ ∈ {0, 0.01, 0.1, 1}, and prints the largest and
            mean relative error |gₐ − gₙ| / max(1e-8, |gₐ| + |gₙ|) of every parameter tensor. Exits with status 1
            when any relative error exceeds the threshold.
            """,
        arguments: [
            .option("seed", value: "N", help: "random seed of the data and the weights", default: "1"),
            .option("features", value: "D", help: "input dimension (20, as the course checks on 20 features)",
                    default: "20"),
            .option("examples", value: "N", help: "batch size", default: "8"),
            .option("threshold", value: "T", help: "largest relative error accepted", default: "1e-6"),
        ])

    /// The command; it checks the built-in models and uses no plug-ins.
    static let subcommand = Subcommand(interface, run: run)

    static func run(_ args: ParsedArguments) throws {
        let seed = try args.required("seed", as: UInt64.self)
        let features = try args.required("features", as: Int.self, where: { $0 >= 1 }, must: "be at least 1")
        let examples = try args.required("examples", as: Int.self, where: { $0 >= 1 }, must: "be at least 1")
        let threshold = try args.required("threshold", as: Double.self, where: { $0 > 0 }, must: "be positive")

        let cases = GradientCheckSuite.synthetic(count: examples, features: features, seed: seed).run()
        print("model      lambda  parameter     shape      max rel. error  mean rel. error")
        var worst = 0.0
        for entry in cases {
            for c in entry.comparisons {
                let shape = c.shape.map(String.init).joined(separator: "×")
                print(entry.model.padded(10), "\(entry.lambda)".padded(7), c.name.padded(13), shape.padded(10),
                      String(format: "%.3e       %.3e", c.maxRelativeError, c.meanRelativeError))
                worst = max(worst, c.maxRelativeError)
            }
        }
        print(String(format: "largest relative error: %.3e (threshold %.0e)", worst, threshold))
        if worst > threshold || worst.isNaN {
            throw CLIError.failed("gradient check FAILED: \(String(format: "%.3e", worst)) > \(threshold)")
        }
        print("gradient check passed")
    }
}

extension String {
    /// The string left-aligned in a column of `width` characters.
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
