import Backprop

/// The `ConfigurationError` `body` throws, or nil when it throws nothing (or another error): for tests
/// that compare whole errors, path and reason.
public func captureConfigurationError<T>(_ body: () throws -> T) -> ConfigurationError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? ConfigurationError
    }
}
