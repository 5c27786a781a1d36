import BackpropRegistry
import Foundation

/// Run directories written by hand, as `RunReport.write` lays them out, for the readers of runs.
enum RunDirectoryFixture {
    /// `metrics.json` of a run named `name`: `extra` members replace the defaults.
    static func metrics(name: String, lambda: Double = 0.01, testAccuracy: Double = 0.4,
                        extra: [String: JSONValue] = [:]) -> JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(name), "train_accuracy": 0.6, "validation_accuracy": 0.45,
            "test_accuracy": .number(testAccuracy), "final_cost": 1.5, "steps": 20, "seed": 42,
            "diverged_at_step": .null, "stopped": .null, "seconds": 7.5,
            "config": [
                "name": .string(name), "training": ["batch_size": 100],
                "regularizers": [["name": "l2", "lambda": .number(lambda)]],
            ],
            "data": ["summary": "CIFAR-10 (batch 1 / batch 2 / test)", "train_count": 100, "validation_count": 50,
                     "test_count": 50, "notes": []],
            "model": "Sequential(Linear(3072 → 10))", "schedule": "constant(eta: 0.01)",
            "regularizers": [.string("L2(lambda: \(lambda))")],
        ]
        for (key, value) in extra { members[key] = value }
        return .object(members)
    }

    /// A `history.csv` of `steps` steps with evaluations every 5, the loss falling from 2.
    static func history(steps: Int = 20, diverged: Bool = false) -> String {
        var lines = ["step,epoch,learning_rate,train_loss,train_cost,train_accuracy,validation_loss,validation_cost,validation_accuracy"]
        for step in 0...steps {
            let rate = step < steps ? "0.01" : ""
            if step % 5 == 0 {
                let loss = diverged && step >= 10 ? "nan" : "\(2.0 - 0.05 * Double(step))"
                lines.append("\(step),\(Double(step) / 10),\(rate),\(loss),\(loss),0.\(10 + step),\(loss),\(loss),0.\(10 + step)")
            } else {
                lines.append("\(step),\(Double(step) / 10),\(rate),,,,,,")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes a run directory `directoryName` under `base` with `metrics` (none when nil) and a history.
    @discardableResult
    static func write(_ directoryName: String, under base: URL, metrics: JSONValue?, history: String? = history(),
                      timing: Double? = nil) throws -> URL {
        let directory = base.appendingPathComponent(directoryName)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let metrics { try (metrics.prettyJSONText + "\n").write(to: directory.appendingPathComponent("metrics.json"), atomically: true, encoding: .utf8) }
        if let history { try history.write(to: directory.appendingPathComponent("history.csv"), atomically: true, encoding: .utf8) }
        if let timing { try "{\"seconds\": \(timing)}\n".write(to: directory.appendingPathComponent("timing.json"), atomically: true, encoding: .utf8) }
        return directory
    }
}
