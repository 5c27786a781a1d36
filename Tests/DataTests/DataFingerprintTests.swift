import BackpropData
import BackpropTensor
import Testing

@Suite struct DataFingerprintTests {
    func dataset(_ values: [Float], labels: [Int]) -> Dataset {
        Dataset(features: Tensor(shape: [labels.count, values.count / labels.count], scalars: values), labels: labels,
                classNames: ["a", "b"])
    }

    @Test func equalDataGiveEqualFingerprintsAndEveryChangeIsNamed() {
        let base = dataset([1, 2, 3, 4, 5, 6], labels: [0, 1, 0])
        let splits = DataSplits(train: base, validation: base, test: base)
        #expect(DataFingerprint(splits) == DataFingerprint(splits))
        #expect(DataFingerprint(splits).differences(from: DataFingerprint(splits)).isEmpty)
        #expect(DataFingerprint(splits).train.hash.count == 16)

        var changed = splits
        changed.train = dataset([1, 2, 3, 4, 5, 7], labels: [0, 1, 0])   // one feature
        #expect(DataFingerprint(changed).differences(from: DataFingerprint(splits)).first?
            .hasPrefix("the training set holds other examples or labels (hash ") == true)
        changed.train = dataset([1, 2, 3, 4, 5, 6], labels: [0, 1, 1])   // one label
        #expect(DataFingerprint(changed).differences(from: DataFingerprint(splits)).count == 1)
        changed = splits
        changed.test = dataset([1, 2, 3, 4], labels: [0, 1])
        #expect(DataFingerprint(changed).differences(from: DataFingerprint(splits))
            == ["the test set has 2 examples, not 3"])
        changed = splits
        changed.validation = dataset([1, 2, 3, 4, 5, 6], labels: [0, 1, 0, 1, 0, 1])
        #expect(DataFingerprint(changed).differences(from: DataFingerprint(splits))
            == ["the validation set has 6 examples, not 3"])
    }
}
