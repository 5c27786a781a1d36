import BackpropLayers
import BackpropRegistry
import BackpropTensor

/// Dropout after every ReLU: a regulariser that works by changing the model, not the cost.
///
/// `prepare` inserts a `Dropout(rate:)` layer right after each `ReLU`, also inside nested `Sequential`
/// models. The layers drop activations only in the training phase, drawing from the forward context's
/// generator, so inference and evaluation see the model unchanged and a run stays reproducible from
/// its seed. There is no penalty.
///
/// ```swift
/// DropoutRegularizer(rate: 0.3).prepare(model)
/// // Sequential(Linear(3072 → 50) → ReLU → Dropout(0.3) → Linear(50 → 10))
/// ```
///
/// Registered as `"dropout"` with the parameter `rate` in `[0, 1)`:
///
/// ```json
/// {"name": "dropout", "rate": 0.3}
/// ```
public struct DropoutRegularizer: Regularizer, Equatable {
    /// The probability of dropping an activation.
    public let rate: Double

    /// Dropout with `rate` in `[0, 1)`.
    public init(rate: Double) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), got \(rate)")
        self.rate = rate
    }

    public var description: String { "Dropout(rate: \(rate))" }

    /// 0: dropout adds no gradient to any parameter.
    public func gradientCoefficient<S: TensorScalar>(for parameter: Parameter<S>) -> Double? { 0 }

    /// Inserts a dropout layer after each ReLU that is not already followed by one.
    ///
    /// A ReLU already followed by a `Dropout` is left alone, so preparing a model twice changes it once.
    /// A rate of 0 leaves the model unchanged.
    public func prepare<S: TensorScalar>(_ model: Sequential<S>) {
        guard rate > 0 else { return }
        insertDropout(into: model)
    }

    /// Inserts the dropout layers into `model` and every `LayerSequence` nested in it.
    private func insertDropout<S: TensorScalar>(into model: any LayerSequence<S>) {
        // Walk backwards so that each insertion leaves the indices still to visit unchanged.
        for index in model.layers.indices.reversed() {
            let layer = model.layers[index]
            if let nested = layer as? any LayerSequence<S> {
                insertDropout(into: nested)
            } else if layer is ReLU<S> {
                let next = index + 1 < model.layers.count ? model.layers[index + 1] : nil
                if !(next is Dropout<S>) { model.insert(Dropout<S>(rate: rate), at: index + 1) }
            }
        }
    }
}

// MARK: - Reading from a configuration

extension DropoutRegularizer {
    /// Reads `rate` and checks it.
    ///
    /// - Throws: `ConfigurationError` naming an unknown key (a misspelt `rate`, with its correction), or
    ///   `rate` when it is missing, not a number or outside [0, 1).
    public init(options: inout Options) throws {
        try options.declare("rate")
        self.init(rate: try options.required("rate", .probability(includingOne: false)))
    }
}
