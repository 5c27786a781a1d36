import BackpropData
import BackpropRegistry

/// Everything one training run produced: what the report shows and what the run directory keeps.
public struct RunResult: Sendable {
    /// The experiment's name.
    public var name: String
    /// The seed every random draw of the run came from.
    public var seed: UInt64
    /// `float32` or `float64`.
    public var precision: String
    /// Examples per update.
    public var batchSize: Int
    /// The experiment as given: the JSON document it was read from, or a summary of one composed in code.
    public var configuration: JSONValue
    /// Every evaluation and the rate of every update; why the run stopped early, if it did.
    public var history: TrainingHistory
    /// The final model on the training split.
    public var train: Metrics
    /// The final model on the validation split.
    public var validation: Metrics
    /// The final model on the test split.
    public var test: Metrics
    /// The model's parameters by name (`fc1.weight` is `[inputs, outputs]`), as trained, followed by its
    /// buffers (`bn1.running_mean`, see `Layer.buffers`): everything a saved model holds.
    public var parameters: [(name: String, value: ParameterTensor)]
    /// The pre-processing fitted on the training split (apply it before evaluating the parameters).
    public var standardizer: Standardizer
    /// Which data set and split, for the report.
    public var dataSummary: String
    /// What the reader had to say about the data (a partial copy, say).
    public var dataNotes: [String]
    /// Examples in the training split.
    public var trainCount: Int
    /// Examples in the validation split.
    public var validationCount: Int
    /// Examples in the test split.
    public var testCount: Int
    /// The name of each class, by label.
    public var classNames: [String]
    /// The layout of one example when the data are images (reports draw a linear model's weights).
    public var imageShape: ImageShape?
    /// The model as built (`Sequential(Linear(3072 → 50) → ReLU → …)`).
    public var modelDescription: String
    /// The schedule as built.
    public var scheduleDescription: String
    /// The regularisers and augmentations as built.
    public var regularizerDescriptions: [String]
    /// The update steps planned (an early stop makes fewer: see `history`).
    public var totalSteps: Int
    /// The run's wall-clock time.
    public var seconds: Double
    /// The model's layers as entries of a `layers` list (see `ConfigurableLayer`), from which a run
    /// directory's `model.json` lets the model be built again; nil when a layer cannot describe itself.
    public var architecture: [JSONValue]?

    /// A result; see the properties for each parameter.
    public init(
        name: String, seed: UInt64, precision: String, batchSize: Int, configuration: JSONValue,
        history: TrainingHistory, train: Metrics, validation: Metrics, test: Metrics,
        parameters: [(name: String, value: ParameterTensor)], standardizer: Standardizer, dataSummary: String,
        dataNotes: [String], trainCount: Int, validationCount: Int, testCount: Int, classNames: [String],
        imageShape: ImageShape?, modelDescription: String, scheduleDescription: String,
        regularizerDescriptions: [String], totalSteps: Int, seconds: Double, architecture: [JSONValue]? = nil
    ) {
        self.name = name
        self.seed = seed
        self.precision = precision
        self.batchSize = batchSize
        self.configuration = configuration
        self.history = history
        self.train = train
        self.validation = validation
        self.test = test
        self.parameters = parameters
        self.standardizer = standardizer
        self.dataSummary = dataSummary
        self.dataNotes = dataNotes
        self.trainCount = trainCount
        self.validationCount = validationCount
        self.testCount = testCount
        self.classNames = classNames
        self.imageShape = imageShape
        self.modelDescription = modelDescription
        self.scheduleDescription = scheduleDescription
        self.regularizerDescriptions = regularizerDescriptions
        self.totalSteps = totalSteps
        self.seconds = seconds
        self.architecture = architecture
    }

    /// Whether the model is a linear classifier (one weight matrix and its bias), whose weight columns
    /// are one template per class.
    public var isLinearClassifier: Bool {
        parameters.count == 2 && parameters[0].value.shape.count == 2
            && parameters[0].value.shape[0] == standardizer.featureCount
    }
}
