import BackpropTensor
import BackpropTraining
import Foundation

/// A `CheckpointStore` in a folder, `checkpoint/` of a run directory by default: what
/// `backprop train --resume RUN_DIR` continues from.
///
/// The folder holds one complete state, `step-<N>/`:
/// - `state.json`: the format and its version, the run's identity (configuration, data fingerprint and
///   standardiser), the step, the generators, the history's evaluations and the observers' numbers;
/// - `parameter-<i>.npy`, `buffer-<i>.npy` (the model's running statistics), `optimizer-<i>.npy`,
///   `observer-<k>-<i>.npy` in the run's precision, and
///   `learning-rates.npy` and `train-subset.npy` in float64.
///
/// A save writes `step-<N>.partial-<pid>/` and renames it into place before removing the older state,
/// so a process killed at any moment leaves a complete state to load (the newest complete one wins,
/// and leftovers are removed by the next save).
///
/// ```swift
/// let store = CheckpointDirectory(runDirectory.appending(path: "checkpoint"))
/// let plan = CheckpointPlan(store: store, interval: 500, resume: store.hasState)
/// ```
public struct CheckpointDirectory: CheckpointStore {
    /// The folder.
    public var url: URL

    /// The store in `url` (created by the first save).
    public init(_ url: URL) {
        self.url = url
    }

    /// The format written in `state.json`; a checkpoint of another format is refused.
    public static let format = "backprop-checkpoint"
    /// The version of the format; a checkpoint of another version is refused.
    public static let version = 1

    /// Whether a complete state is saved.
    public var hasState: Bool { newestState != nil }

    /// The step of the saved state, or nil when there is none.
    public var savedStep: Int? { newestState.flatMap { Int($0.lastPathComponent.dropFirst(5)) } }

    /// The identity of the saved run, without reading its tensors (`backprop train --resume` reads its
    /// configuration from here); nil when nothing is saved.
    ///
    /// - Throws: `ReportFileError` naming `state.json` when it is damaged or of another format.
    public func savedIdentity() throws -> RunIdentity? {
        guard let folder = newestState else { return nil }
        return try manifest(in: folder).identity
    }

    public func save<Scalar: TensorScalar>(_ state: TrainingState<Scalar>, identity: RunIdentity) throws {
        let name = "step-\(state.step)"
        let partial = url.appendingPathComponent("\(name).partial-\(getpid())")
        let manager = FileManager.default
        try? manager.removeItem(at: partial)
        do {
            try manager.createDirectory(at: partial, withIntermediateDirectories: true)
        } catch {
            throw ReportFileError.cannotWrite(path: partial.path, reason: error.localizedDescription)
        }
        func write<S: TensorScalar>(_ tensor: Tensor<S>, _ file: String) throws {
            try NumpyFile.write(tensor, to: partial.appendingPathComponent(file))
        }
        for (index, tensor) in state.parameters.enumerated() { try write(tensor, "parameter-\(index).npy") }
        for (index, tensor) in state.buffers.enumerated() { try write(tensor, "buffer-\(index).npy") }
        for (index, tensor) in state.optimizer.enumerated() { try write(tensor, "optimizer-\(index).npy") }
        for (k, observer) in state.observers.enumerated() {
            for (index, tensor) in (observer?.tensors ?? []).enumerated() { try write(tensor, "observer-\(k)-\(index).npy") }
        }
        let rates = state.history.learningRates
        try write(Tensor<Double>(shape: [rates.count], scalars: rates), "learning-rates.npy")
        if let subset = state.trainSubset {
            try write(Tensor<Double>(shape: [subset.count], scalars: subset.map(Double.init)), "train-subset.npy")
        }
        var history = state.history
        history.learningRates = []
        let manifest = Manifest(
            format: Self.format, version: Self.version, identity: identity, step: state.step,
            epochsDone: state.epochsDone, epochStart: state.epochStart, generator: state.generator,
            dropout: state.dropout, history: history, parameters: state.parameters.count, buffers: state.buffers.count,
            optimizer: state.optimizer.count, trainSubset: state.trainSubset != nil,
            observers: state.observers.map { $0.map { ObserverEntry(numbers: $0.numbers, tensors: $0.tensors.count) } })
        try AtomicFile.write(Self.encoder.encode(manifest), to: partial.appendingPathComponent("state.json"))

        let target = url.appendingPathComponent(name)
        try? manager.removeItem(at: target)
        do {
            try manager.moveItem(at: partial, to: target)
        } catch {
            throw ReportFileError.cannotWrite(path: target.path, reason: error.localizedDescription)
        }
        // The older states and any folder a killed save left: the new state is complete in place.
        for entry in (try? manager.contentsOfDirectory(atPath: url.path)) ?? [] where entry != name && entry.hasPrefix("step-") {
            try? manager.removeItem(at: url.appendingPathComponent(entry))
        }
    }

    public func load<Scalar: TensorScalar>(as type: Scalar.Type, identity: RunIdentity) throws -> TrainingState<Scalar>? {
        guard let folder = newestState else { return nil }
        let manifest = try manifest(in: folder)
        let differences = identity.differences(from: manifest.identity)
        guard differences.isEmpty else { throw CheckpointMismatch(path: folder.path, differences: differences) }
        func read<S: TensorScalar>(_ file: String, as _: S.Type) throws -> Tensor<S> {
            try NumpyFile.read(folder.appendingPathComponent(file), as: S.self)
        }
        var history = manifest.history
        let rates = try read("learning-rates.npy", as: Double.self)
        history.learningRates = rates.scalars
        let subset = try manifest.trainSubset ? read("train-subset.npy", as: Double.self).scalars : nil
        if let subset, let bad = subset.first(where: { $0 < 0 || $0 != $0.rounded() || $0 >= Double(Int32.max) }) {
            throw ReportFileError.malformedNumpy(
                path: folder.appendingPathComponent("train-subset.npy").path, reason: "\(bad) is not an example's index")
        }
        return TrainingState(
            step: manifest.step, epochsDone: manifest.epochsDone, epochStart: manifest.epochStart,
            generator: manifest.generator, dropout: manifest.dropout, trainSubset: subset.map { $0.map { Int($0) } },
            history: history,
            parameters: try (0..<manifest.parameters).map { try read("parameter-\($0).npy", as: Scalar.self) },
            buffers: try (0..<(manifest.buffers ?? 0)).map { try read("buffer-\($0).npy", as: Scalar.self) },
            optimizer: try (0..<manifest.optimizer).map { try read("optimizer-\($0).npy", as: Scalar.self) },
            observers: try manifest.observers.enumerated().map { k, entry in
                try entry.map { entry in
                    ObserverState(numbers: entry.numbers, tensors: try (0..<entry.tensors).map {
                        try read("observer-\(k)-\($0).npy", as: Scalar.self)
                    })
                }
            })
    }

    // MARK: - The files

    /// The newest complete state's folder (`step-<N>` with the largest N and a `state.json`).
    private var newestState: URL? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return entries
            .compactMap { entry -> (Int, String)? in
                guard entry.hasPrefix("step-"), let step = Int(entry.dropFirst(5)) else { return nil }
                return (step, entry)
            }
            .sorted { $0.0 > $1.0 }
            .map { url.appendingPathComponent($0.1) }
            .first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("state.json").path) }
    }

    private func manifest(in folder: URL) throws -> Manifest {
        let file = folder.appendingPathComponent("state.json")
        let manifest: Manifest
        do {
            manifest = try Self.decoder.decode(Manifest.self, from: InputFile.data(of: file))
        } catch let error as ReportFileError {
            throw error
        } catch {
            throw ReportFileError.cannotRead(path: file.path, reason: "it is not a Backprop checkpoint (\(error))")
        }
        guard manifest.format == Self.format, manifest.version == Self.version else {
            throw ReportFileError.cannotRead(
                path: file.path, reason: "it is a checkpoint of format \(manifest.format) version \(manifest.version); "
                    + "this Backprop reads \(Self.format) version \(Self.version)")
        }
        let counts = [manifest.parameters, manifest.buffers ?? 0, manifest.optimizer, manifest.step, manifest.epochsDone]
            + manifest.observers.map { $0?.tensors ?? 0 }
        guard counts.allSatisfy({ 0 <= $0 && $0 <= Int(Int32.max) }) else {
            throw ReportFileError.cannotRead(path: file.path, reason: "it holds a negative or impossible count")
        }
        return manifest
    }

    /// Non-finite numbers (a best value not yet seen, a diverged loss) are written as strings.
    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// `state.json`.
    private struct Manifest: Codable {
        var format: String
        var version: Int
        var identity: RunIdentity
        var step: Int
        var epochsDone: Int
        var epochStart: SeededGenerator
        var generator: SeededGenerator
        var dropout: SeededGenerator
        /// The evaluations, stop and notes; the rates are in `learning-rates.npy`.
        var history: TrainingHistory
        /// How many `parameter-<i>.npy` files there are.
        var parameters: Int
        /// How many `buffer-<i>.npy` files there are (absent, in a checkpoint of a model without any, as in
        /// one written before buffers existed: 0).
        var buffers: Int?
        var optimizer: Int
        var trainSubset: Bool
        var observers: [ObserverEntry?]
    }

    private struct ObserverEntry: Codable {
        var numbers: [Double]
        /// How many `observer-<k>-<i>.npy` files there are.
        var tensors: Int
    }
}
