import BackpropRegistry
import BackpropTestSupport
import Testing

@Suite struct MemoryBudgetTests {
    @Test func anEstimateOverTheLimitNamesTheKeyAndBothFigures() {
        let budget = MemoryBudget(limit: 2e9)
        #expect(throws: Never.self) { try budget.require(bytes: 2e9, for: "x", path: "model") }
        let error = captureConfigurationError { try budget.require(bytes: 1.23e11, for: "the model's parameters", path: "model.hidden") }
        #expect(error == .invalidValue(
            path: "model.hidden",
            reason: "needs about 123 GB for the model's parameters, more than the 2.0 GB this machine allows a run "
                + "(three quarters of its \(MemoryBudget.format(MemoryBudget.physicalMemory)))"))
    }

    @Test func nonFiniteAndNegativeEstimatesAreRefused() {
        let budget = MemoryBudget(limit: .greatestFiniteMagnitude)
        #expect(captureConfigurationError { try budget.require(bytes: .infinity, for: "x", path: "p") } != nil)
        #expect(captureConfigurationError { try budget.require(bytes: .nan, for: "x", path: "p") } != nil)
        #expect(captureConfigurationError { try budget.require(bytes: -1, for: "x", path: "p") } != nil)
    }

    @Test func theMachineBudgetIsThreeQuartersOfItsMemory() {
        #expect(MemoryBudget.physicalMemory > 1e8)
        #expect(MemoryBudget.machine.limit == 0.75 * MemoryBudget.physicalMemory)
    }

    @Test func figuresAreReadable() {
        #expect(MemoryBudget.format(512) == "512 B")
        #expect(MemoryBudget.format(1536) == "1.54 KB")
        #expect(MemoryBudget.format(86_016_000_032) == "86.0 GB")
        #expect(MemoryBudget.format(7.2e15) == "7.2 PB")
    }
}
