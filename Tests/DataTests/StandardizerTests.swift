import BackpropData
import BackpropTensor
import Foundation
import Testing

@Suite("Standardizer")
struct StandardizerTests {
    static func dataset(_ rows: [[Float]], labels: [Int]? = nil) -> Dataset {
        Dataset(features: Tensor(rows), labels: labels ?? Array(repeating: 0, count: rows.count), classNames: ["a", "b"])
    }

    let train = dataset([[1, 10, 5], [3, 30, 5], [5, 20, 5]])
    let validation = dataset([[3, 20, 7], [7, 40, 5]])

    @Test func fitsMeanAndPopulationDeviation() {
        let s = Standardizer(fitting: train)
        #expect(s.mean == [3, 20, 5])
        #expect(abs(s.standardDeviation[0] - (8.0 / 3).squareRoot()) < 1e-6)
        #expect(abs(s.standardDeviation[1] - (200.0 / 3).squareRoot()) < 1e-5)
        // A constant feature is only centred.
        #expect(s.standardDeviation[2] == 1)
    }

    @Test func trainingSplitBecomesZeroMeanUnitVariance() {
        let standardized = Standardizer(fitting: train).applied(to: train)
        for j in 0..<2 {
            let column = (0..<3).map { Double(standardized.features[$0, j]) }
            let mean = column.reduce(0, +) / 3
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3
            #expect(abs(mean) < 1e-6)
            #expect(abs(variance - 1) < 1e-5)
        }
    }

    @Test func validationIsTransformedWithTrainingStatistics() {
        let s = Standardizer(fitting: train)
        let v = s.applied(to: validation)
        // (7 − 3)/√(8/3) and (40 − 20)/√(200/3): training's statistics, not validation's own.
        #expect(abs(v.features[1, 0] - Float(4 / (8.0 / 3).squareRoot())) < 1e-5)
        #expect(abs(v.features[1, 1] - Float(20 / (200.0 / 3).squareRoot())) < 1e-5)
        #expect(v.features[0, 2] == 2)
        #expect(v.labels == validation.labels)
    }

    @Test func splitsAreStandardizedWithTrainStatisticsOnly() {
        let splits = DataSplits(train: train, validation: validation, test: validation)
        let (standardized, s) = splits.standardized()
        #expect(s == Standardizer(fitting: train))
        #expect(standardized.validation == s.applied(to: validation))
        #expect(standardized.test == s.applied(to: validation))
        #expect(standardized.train == s.applied(to: train))
        // Validation's mean is not zero: its own statistics were not used.
        #expect(abs(standardized.validation.features[0, 0] + standardized.validation.features[1, 0]) > 1)
    }

    @Test func standardizeInPlaceMatchesTheCopy() {
        var splits = DataSplits(train: train, validation: validation, test: train)
        let (copy, fitted) = splits.standardized()
        #expect(splits.standardize() == fitted)
        #expect(splits == copy)
    }

    @Test func invertedUndoesTheTransform() {
        let s = Standardizer(fitting: train)
        let back = s.inverted(s.applied(to: validation).features)
        for (a, b) in zip(back.scalars, validation.features.scalars) { #expect(abs(a - b) < 1e-4) }
    }

    @Test func roundTripsThroughJSON() throws {
        let s = Standardizer(fitting: train)
        let decoded = try JSONDecoder().decode(Standardizer.self, from: JSONEncoder().encode(s))
        #expect(decoded == s)
    }
}
