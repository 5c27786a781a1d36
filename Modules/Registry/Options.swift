/// A JSON object read key by key, with errors that name the key: the one reader of every plug-in's
/// parameters (schedules, regularisers, augmentations, and a user's own), and of experiment files.
///
/// A plug-in first declares every key it understands, then reads them and checks their values:
///
/// ```swift
/// init(options: inout Options) throws {
///     try options.declare("eta_min", "eta_max", .steps("period"), "cycles")
///     let low: Double = try options.required("eta_min", .nonNegative)
///     let high: Double = try options.required("eta_max", .nonNegative)
///     try options.checkOrdered(low, "eta_min", high, "eta_max")
///     let period = try options.requiredSteps("period")          // 100, {"epochs": 2} or period_epochs: 2
///     let cycles: Int? = try options.optional("cycles", .atLeast(1))
///     …
/// }
/// ```
///
/// Semantics:
/// - **Unknown keys come first, always.** `declare` rejects every key of the object that is not
///   declared (nor already read, as the registry reads `name`), before any value is read. So a misspelt
///   key is reported as unknown, with the nearest declared key as a suggestion
///   (`unknown key 'schedule.eta_mx'. Did you mean 'eta_max'?`), never as the missing key it hides and
///   never after a complaint about another value.
/// - **A plug-in cannot skip the declaration.** Options that `Registry.make` hands to a factory are
///   *declaring*: reading a key before `declare`, or a key that was not declared, is an error naming
///   the key and the fix (a bug in the plug-in, which its first test shows). `nested` options inherit
///   this, and the context.
/// - **Nothing is silently ignored.** `finish()` (which the registry calls after the factory returns)
///   rejects a key that is present but was never read: an undeclared one as unknown, a declared one
///   as "not used with these settings".
/// - Options that are not declaring (made with `init`, as an experiment file's sections are) may be
///   read without `declare`; then `finish()` reports the keys nobody read, and a missing required key
///   is reported as an unknown key instead when an unread key is a likely misspelling of it.
/// - `null` counts as absent. Values are converted by `OptionValue` and validated by `OptionCheck`s,
///   whose messages name the key path (`schedule.eta_max`).
/// - `context` tells the reader what the data determine (batches per epoch, image shape); it is empty
///   while a configuration is only checked. Step counts resolve through it: see `steps(_:minimum:)`.
public struct Options: Sendable {
    /// The dotted path of this object inside the document, used in messages.
    public let path: String
    /// The members of the object.
    public let members: [String: JSONValue]
    /// What the data tell the plug-in; nested options inherit it.
    public var context: PluginContext
    /// The keys asked for so far.
    private var read: Set<String> = []
    /// The declared keys (every JSON name they admit), or nil before `declare`.
    private(set) var declared: Set<String>?
    /// The declarations, in the order given.
    private(set) var declarations: [OptionKey] = []
    /// Whether reads must be declared first; set by `Registry.make`, inherited by `nested`.
    var isDeclaring = false
    /// A declaration mistake seen by a non-throwing reader (`contains`, `raw`), thrown by `finish()`.
    private var misuse: ConfigurationError?

    /// Wraps `value`, which must be a JSON object.
    public init(_ value: JSONValue, path: String, context: PluginContext = PluginContext()) throws {
        guard case .object(let members) = value else {
            throw ConfigurationError.wrongType(path: path, expected: "an object", found: value.typeName)
        }
        self.path = path
        self.members = members
        self.context = context
    }

    /// An empty object.
    public init(path: String, context: PluginContext = PluginContext()) {
        self.path = path
        self.members = [:]
        self.context = context
    }

    /// The dotted path of `key` in this object, for messages.
    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    // MARK: Declaring

    /// Declares every key the reader understands and rejects, now, each key of the object that is not
    /// among them.
    ///
    /// Call it once, first, with every key any setting may read (optional ones included).
    ///
    /// - Throws: `unknownKey` for the first undeclared key in sorted order, listing the declared keys
    ///   (the message suggests the nearest one).
    public mutating func declare(_ keys: OptionKey...) throws {
        try declare(keys)
    }

    /// Declares `keys`; see `declare(_:)`.
    public mutating func declare(_ keys: [OptionKey]) throws {
        var names = declared ?? []
        for key in keys { names.formUnion(key.names) }
        declarations += keys
        declared = names
        let allowed = names.union(read)
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ConfigurationError.unknownKey(path: keyPath(unknown), allowed: allowed.sorted())
        }
    }

    /// Records that `key` is read; in declaring options, the error of a read that was not declared.
    private mutating func mark(_ key: String) -> ConfigurationError? {
        read.insert(key)
        guard isDeclaring else { return nil }
        guard let declared else {
            return .invalidValue(
                path: keyPath(key),
                reason: "is read before the plug-in declared its keys: its reader must call options.declare(…) first")
        }
        guard declared.contains(key) else {
            return .invalidValue(
                path: keyPath(key), reason: "is read but was not declared: the plug-in's options.declare(…) must list it")
        }
        return nil
    }

    private mutating func markOrThrow(_ key: String) throws {
        if let error = mark(key) { throw error }
    }

    private mutating func markOrRemember(_ key: String) {
        if let error = mark(key), misuse == nil { misuse = error }
    }

    // MARK: Reading

    /// Whether the object has `key` (a `null` counts as absent). Marks the key as read.
    public mutating func contains(_ key: String) -> Bool {
        markOrRemember(key)
        if let value = members[key], value != .null { return true }
        return false
    }

    /// The value of `key`, converted to `T`.
    ///
    /// - Throws: `missingKey` when absent (or `unknownKey` for an unread key that looks like its
    ///   misspelling, in options without a declaration), `wrongType` or `invalidValue` when it does not
    ///   convert.
    public mutating func required<T: OptionValue>(_ key: String) throws -> T {
        guard let value: T = try optional(key) else { throw missing(key) }
        return value
    }

    /// The value of `key` converted to `T`, or `nil` when the key is absent or `null`.
    public mutating func optional<T: OptionValue>(_ key: String) throws -> T? {
        try markOrThrow(key)
        guard let value = members[key], value != .null else { return nil }
        return try T(json: value, path: keyPath(key))
    }

    /// The raw JSON of `key`, or `nil`. Marks the key as read.
    public mutating func raw(_ key: String) -> JSONValue? {
        markOrRemember(key)
        return members[key]
    }

    /// The nested object at `key`, or an empty object when absent. It inherits the context, and
    /// whether reads must be declared.
    public mutating func nested(_ key: String) throws -> Options {
        try markOrThrow(key)
        var options: Options
        if let value = members[key], value != .null {
            options = try Options(value, path: keyPath(key), context: context)
        } else {
            options = Options(path: keyPath(key), context: context)
        }
        options.isDeclaring = isDeclaring
        return options
    }

    /// The error for a required `key` that is absent: the missing key, unless an unread key of the
    /// object is its likely misspelling (only possible without a declaration, which rejects those first).
    func missing(_ key: String) -> ConfigurationError {
        let unread = members.keys.filter { !read.contains($0) && !(declared?.contains($0) ?? false) }.sorted()
        if declared == nil, let typo = nearest(to: key, in: unread) {
            return .unknownKey(path: keyPath(typo), allowed: read.sorted())
        }
        return .missingKey(path: keyPath(key))
    }

    // MARK: Finishing

    /// Throws for a key that is present but was never read, and for a declaration mistake.
    ///
    /// - Throws: a declaration mistake first (see the type's semantics); then `unknownKey` for the first
    ///   undeclared, unread key in sorted order; then `invalidValue` for a declared key that the reader
    ///   did not use with the other settings given.
    public func finish() throws {
        if let misuse { throw misuse }
        let unread = members.keys.sorted().filter { !read.contains($0) }
        let allowed = read.union(declared ?? [])
        if let unknown = unread.first(where: { !allowed.contains($0) }) {
            throw ConfigurationError.unknownKey(path: keyPath(unknown), allowed: allowed.sorted())
        }
        if let unused = unread.first {
            throw ConfigurationError.invalidValue(path: keyPath(unused), reason: "is not used with the other settings given here")
        }
    }
}
