import BackpropRegistry

/// A run's settings as key paths and texts, and which of them differ between runs: what
/// `backprop compare` highlights.
///
/// Semantics:
/// - The configuration (`metrics.json`'s `config`) is flattened into key paths: `training.batch_size`,
///   array elements as `regularizers[0].lambda`; an empty object or array is a value of its own.
///   Strings are shown as they are, other values as JSON (`0.01`, `true`, `null`).
/// - A configuration is not always the whole story: a search trial's λ is set by the search, not its
///   `config`, a schedule given in epochs has its step size worked out from the data, and an
///   experiment composed in code has only a summary. So the values as built and used are added too,
///   under `as built: model`, `as built: schedule`, `as built: regularizers` and `as used: data`.
/// - A key path differs when some run has another value, or none, for it.
public enum RunSettings {
    /// The keys of the values as built and used, in the order shown after the configuration's.
    public static let builtKeys = ["as built: model", "as built: schedule", "as built: regularizers", "as used: data"]

    /// Every leaf of `value` by key path (`JSONValue.leaves`), as text: strings as they are, other
    /// values as JSON.
    public static func flattened(_ value: JSONValue) -> [String: String] {
        value.leaves.mapValues { leaf in
            if case .string(let text) = leaf { text } else { leaf.jsonText }
        }
    }

    /// The settings of a run from its `metrics.json` members: the configuration flattened, then the
    /// values as built and used.
    static func settings(ofMetrics metrics: [String: JSONValue]) -> [String: String] {
        var settings = metrics["config"].map(flattened) ?? [:]
        if case .string(let model)? = metrics["model"] { settings["as built: model"] = model }
        if case .string(let schedule)? = metrics["schedule"] { settings["as built: schedule"] = schedule }
        if case .array(let regularizers)? = metrics["regularizers"] {
            let names = regularizers.compactMap { if case .string(let text) = $0 { text } else { nil } }
            settings["as built: regularizers"] = names.isEmpty ? "none" : names.joined(separator: ", ")
        }
        if case .object(let data)? = metrics["data"], let train = RunSummary.number(data["train_count"]),
           let validation = RunSummary.number(data["validation_count"]), let test = RunSummary.number(data["test_count"]) {
            settings["as used: data"] = "\(Int(train)) training, \(Int(validation)) validation, \(Int(test)) test"
        }
        return settings
    }

    /// Every key path of any of `settings`, in display order: the configuration's sorted, then
    /// ``builtKeys``.
    public static func allKeys(_ settings: [[String: String]]) -> [String] {
        let keys = Set(settings.flatMap(\.keys))
        return keys.subtracting(builtKeys).sorted() + builtKeys.filter(keys.contains)
    }

    /// The key paths whose value is not the same in every one of `settings` (absent counts as a value),
    /// in the order of ``allKeys(_:)``.
    public static func differingKeys(_ settings: [[String: String]]) -> [String] {
        allKeys(settings).filter { key in Set(settings.map { $0[key] }).count > 1 }
    }
}
