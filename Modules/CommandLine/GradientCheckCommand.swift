import Backprop
import Foundation

/// `backprop gradcheck`: analytic against numerical gradients for the standard models.
enum GradientCheckCommand {
    static let help = """
    USAGE: backprop gradcheck [--seed N] [--features D] [--examples N] [--threshold T]

    Compares analytic gradients with centred differences (h = 1e-5) in Double precision for the linear
    classifier and the 2-layer ReLU network, with L2 λ ∈ {0, 0.01, 0.1, 1}, and prints the largest and
    mean relative error |gₐ − gₙ| / max(1e-8, |gₐ| + |gₙ|) of every parameter tensor. Exits with status 1
    when any relative error exceeds the threshold (default 1e-6).

    OPTIONS:
      --seed N         random seed of the data and the weights (default 1)
      --features D     input dimension (default 20, as the course checks on 20 features)
      --examples N     batch size (default 8)
      --threshold T    largest relative error accepted (default 1e-6)
    """

    /// Uses no plug-ins: it checks and times the built-in models; `registries` keeps every command's shape.
    static func run(_ arguments: [String], registries _: PluginRegistries) throws {
        let args = try Arguments(arguments, options: ["seed", "features", "examples", "threshold"], flags: [], command: "backprop gradcheck")
        let seed = try args.uint64("seed") ?? 1
        let features = try args.int("features") ?? 20
        let examples = try args.int("examples") ?? 8
        let threshold = try args["threshold"].map { text -> Double in
            guard let value = Double(text), value > 0 else { throw CLIError.usage("--threshold must be a positive number, got '\(text)'") }
            return value
        } ?? 1e-6
        guard features >= 1, examples >= 1 else { throw CLIError.usage("--features and --examples must be at least 1") }

        let cases = GradientCheckSuite.synthetic(count: examples, features: features, seed: seed).run()
        print("model    lambda  parameter     shape      max rel. error  mean rel. error")
        var worst = 0.0
        for entry in cases {
            for c in entry.comparisons {
                let shape = c.shape.map(String.init).joined(separator: "×")
                print(entry.model.padded(8), "\(entry.lambda)".padded(7), c.name.padded(13), shape.padded(10),
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
