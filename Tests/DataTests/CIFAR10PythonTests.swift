@testable import BackpropData
import BackpropTensor
import BackpropTestSupport
import Foundation
import Testing

@Suite("CIFAR-10 Python version (pickle)")
struct CIFAR10PythonTests {
    static let labels = [6, 9, 9, 4, 1]
    static let pixels = (0..<(5 * 3072)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 3072) }

    static func writeBatch(_ bytes: [UInt8], name: String = "data_batch_1") throws -> URL {
        let url = try makeDatasetFixtureDirectory("cifar-py").appending(path: name)
        try Data(bytes).write(to: url)
        return url
    }

    @Test func decodesACPickleStyleBatch() throws {
        let url = try Self.writeBatch(PickleFixture.cifarBatch(labels: Self.labels, pixels: Self.pixels))
        let data = try CIFAR10.loadPythonBatch(url)
        #expect(data.labels == Self.labels)
        #expect(data.features.shape == [5, 3072])
        #expect(data.features.scalars == Self.pixels.map(Float.init))
        #expect(data.imageShape == .cifar)
    }

    @Test func decodesLabelListsLongerThanOneAppendsRun() throws {
        let labels = (0..<2500).map { $0 % 10 }
        let pixels = [UInt8](repeating: 7, count: labels.count * 3072)
        let url = try Self.writeBatch(PickleFixture.cifarBatch(labels: labels, pixels: pixels))
        let data = try CIFAR10.loadPythonBatch(url)
        #expect(data.labels == labels)
        #expect(data.features.scalars.allSatisfy { $0 == 7 })
    }

    @Test func truncatedPickleIsAnError() throws {
        let whole = PickleFixture.cifarBatch(labels: Self.labels, pixels: Self.pixels)
        let url = try Self.writeBatch(Array(whole.prefix(whole.count - 4000)))
        let error = try #require(throws: DatasetError.self) { try CIFAR10.loadPythonBatch(url) }
        guard case .truncated(let named, let expected, let found) = error else {
            Issue.record("expected truncated, got \(error)")
            return
        }
        #expect(named == url)
        #expect(found == whole.count - 4000)
        #expect(expected > found)
        #expect(error.description.contains("data_batch_1"))
    }

    @Test func pickleCutBeforeStopIsAnError() throws {
        let whole = PickleFixture.cifarBatch(labels: Self.labels, pixels: Self.pixels)
        let url = try Self.writeBatch(Array(whole.dropLast()))
        #expect(throws: DatasetError.self) { try CIFAR10.loadPythonBatch(url) }
    }

    @Test func unknownOpcodeNamesItsOffset() throws {
        var bytes = PickleFixture.cifarBatch(labels: Self.labels, pixels: Self.pixels)
        bytes[2] = 0x7a  // 'z' is no pickle opcode
        let url = try Self.writeBatch(bytes)
        let error = try #require(throws: DatasetError.self) { try CIFAR10.loadPythonBatch(url) }
        #expect(error == .corruptPickle(url, offset: 2, reason: "unsupported opcode 0x7a ('z')"))
    }

    @Test func unknownCallableIsRefused() throws {
        // {b'x': os.system(b'true')} must be rejected, never run.
        let bytes: [UInt8] = [0x80, 0x02, 0x7d, 0x28, 0x55, 0x01, 0x78, 0x63] + Array("os\nsystem\n".utf8)
            + [0x55, 0x04] + Array("true".utf8) + [0x85, 0x52, 0x75, 0x2e]
        let url = try Self.writeBatch(bytes)
        let error = try #require(throws: DatasetError.self) { try CIFAR10.loadPythonBatch(url) }
        #expect(error.description.contains("os.system is not supported"))
    }

    @Test func missingDataKeyIsMalformed() throws {
        let bytes: [UInt8] = [0x80, 0x02, 0x7d, 0x71, 0x01, 0x55, 0x06] + Array("labels".utf8) + [0x5d, 0x73, 0x2e]
        let url = try Self.writeBatch(bytes)
        let error = try #require(throws: DatasetError.self) { try CIFAR10.loadPythonBatch(url) }
        #expect(error == .malformed(url, reason: "the dict has no key 'data' (keys: labels)"))
    }

    @Test func labelOutOfRangeIsAnError() throws {
        let url = try Self.writeBatch(PickleFixture.cifarBatch(labels: [1, 2, 3, 4, 12], pixels: Self.pixels))
        let error = try #require(throws: DatasetError.self) { try CIFAR10.loadPythonBatch(url) }
        #expect(error == .labelOutOfRange(url, record: 4, label: 12, classCount: 10))
    }

    @Test func classNamesComeFromTheMetaPickle() throws {
        let directory = try makeDatasetFixtureDirectory("cifar-py")
        let names = ["plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "lorry"]
        try Data(PickleFixture.meta(labelNames: names)).write(to: directory.appending(path: "batches.meta"))
        #expect(try CIFAR10.loadClassNames(directory) == names)
        // A damaged meta pickle is an error naming it (it once fell back to the default names silently).
        try Data([0x80, 0x02, 0x7d]).write(to: directory.appending(path: "batches.meta"))
        let error = try #require(throws: DatasetError.self) { try CIFAR10.loadClassNames(directory) }
        #expect(error.description.contains("batches.meta"))
        try Data(PickleFixture.meta(labelNames: Array(names.prefix(9)))).write(to: directory.appending(path: "batches.meta"))
        #expect(throws: DatasetError.self) { try CIFAR10.loadClassNames(directory) }
    }

    // MARK: - Pickles written by Python 3 (numpy 2.4), for {b'labels': [1, 300], b'data': uint8 [[0, 1, 127], [128, 200, 255]]}

    static let python3Pickles: [Int: String] = [
        2: "gAJ9cQAoY19jb2RlY3MKZW5jb2RlCnEBWAYAAABsYWJlbHNxAlgGAAAAbGF0aW4xcQOGcQRScQVdcQYoSwFNLAFlaAFYBAAAAGRhdGFxB2gDhnEIUnEJY251bXB5Ll9jb3JlLm11bHRpYXJyYXkKX3JlY29uc3RydWN0CnEKY251bXB5Cm5kYXJyYXkKcQtLAIVxDGgBWAEAAABicQ1oA4ZxDlJxD4dxEFJxEShLAUsCSwOGcRJjbnVtcHkKZHR5cGUKcRNYAgAAAHUxcRSJiIdxFVJxFihLA1gBAAAAfHEXTk5OSv////9K/////0sAdHEYYoloAVgJAAAAAAF/woDDiMO/cRloA4ZxGlJxG3RxHGJ1Lg==",
        4: "gASVrgAAAAAAAAB9lChDBmxhYmVsc5RdlChLAU0sAWVDBGRhdGGUjBZudW1weS5fY29yZS5tdWx0aWFycmF5lIwMX3JlY29uc3RydWN0lJOUjAVudW1weZSMB25kYXJyYXmUk5RLAIWUQwFilIeUUpQoSwFLAksDhpRoB4wFZHR5cGWUk5SMAnUxlImIh5RSlChLA4wBfJROTk5K/////0r/////SwB0lGKJQwYAAX+AyP+UdJRidS4=",
        5: "gAWVmQAAAAAAAAB9lChDBmxhYmVsc5RdlChLAU0sAWVDBGRhdGGUjBNudW1weS5fY29yZS5udW1lcmljlIwLX2Zyb21idWZmZXKUk5QolgYAAAAAAAAAAAF/gMj/lIwFbnVtcHmUjAVkdHlwZZSTlIwCdTGUiYiHlFKUKEsDjAF8lE5OTkr/////Sv////9LAHSUYksCSwOGlIwBQ5R0lFKUdS4=",
    ]

    @Test(arguments: [2, 4, 5])
    func readsPython3Pickles(protocolVersion: Int) throws {
        let bytes = try #require(Data(base64Encoded: Self.python3Pickles[protocolVersion]!)).map { $0 }
        let value = try PickleReader.decode(bytes, url: URL(filePath: "/fixture.pkl"))
        guard case .dict(let dict) = value, case .array(let array)? = dict["data"] else {
            Issue.record("expected a dict with an array, got \(value.typeName)")
            return
        }
        #expect(dict["labels"]?.elements?.compactMap { if case .int(let v) = $0 { v } else { nil } } == [1, 300])
        #expect(array.shape == [2, 3])
        #expect(array.descriptor == "u1")
        #expect(Array(array.data) == [0, 1, 127, 128, 200, 255])
    }
}
