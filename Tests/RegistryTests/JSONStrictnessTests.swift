import BackpropRegistry
import Foundation
import Testing

/// The JSON reader is strict RFC 8259 and says where (line:column, key path) the text is wrong
/// (issue 14, defects 10 and 11).
@Suite struct JSONStrictnessTests {
    /// The message of the error parsing `text` throws.
    static func message(_ text: String) throws -> String {
        let error = try #require(throws: ConfigurationError.self) { try JSONValue(parsing: text, source: "exp.json") }
        return "\(error)"
    }

    @Test func outOfRangeNumberNamesItsPlaceAndKey() throws {
        let text = try Self.message("{\n  \"training\": {\"learning_rate\": 1e999}\n}")
        #expect(text.contains("exp.json:2:33"))
        #expect(text.contains("training.learning_rate"))
        #expect(text.contains("1e999"))
        #expect(!text.contains("Dictionary"))
    }

    @Test func numbersAreReadExactly() throws {
        #expect(try JSONValue(parsing: "[0.1, -2.5e-3, 1E2, 0, -0, 123456789012345678]")
            == .array([.number(0.1), .number(-2.5e-3), .number(100), .number(0), .number(-0.0), .number(Double("123456789012345678")!)]))
        #expect(try JSONValue(parsing: "1e-400") == .number(0))  // underflow rounds to zero, as Double does
    }

    @Test func invalidTextGivesLineAndColumn() throws {
        let text = try Self.message("{\n  \"a\": 1,\n  \"b\": tru\n}")
        #expect(text.contains("exp.json:3:8"))
    }

    @Test func duplicateKeysAreAnError() throws {
        let text = try Self.message(#"{"data": {"source": "cifar10", "source": "mnist"}}"#)
        #expect(text.contains("duplicate key 'data.source'"))
        #expect(text.contains("exp.json:1:32"))
    }

    @Test func trailingCommasAreAnError() throws {
        #expect(try Self.message("[1, 2,]").contains("exp.json:1:7"))
        #expect(try Self.message("{\"a\": 1,}").contains("exp.json:1:9"))
    }

    @Test(arguments: ["01", "1.", ".5", "+1", "NaN", "Infinity", "'a'", "\"\u{01}\"", "[1 2]", "{\"a\" 1}", "1 2", "", "\"\\x\"", "\"\\ud800\""])
    func nonJSONIsRejected(text: String) throws {
        #expect(throws: ConfigurationError.self) { try JSONValue(parsing: text) }
    }

    @Test func stringsDecodeEscapesAndSurrogatePairs() throws {
        #expect(try JSONValue(parsing: #""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("a\"\\/\u{08}\u{0C}\n\r\té😀"))
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(try Self.message(text).contains("nest"))
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONValue(parsing: fine) }
    }

    @Test func byteOrderMarkAndWhitespaceAreAccepted() throws {
        #expect(try JSONValue(parsing: Data([0xEF, 0xBB, 0xBF] + Array(" \t\r\n{}\n".utf8))) == .object([:]))
    }

    @Test func aSymbolicLinkIsJudgedByItsTarget() throws {
        // A link to /dev/zero passed as a small symbolic link, and reading it never ended.
        let folder = FileManager.default.temporaryDirectory.appending(path: "backprop-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let zero = folder.appending(path: "exp.json"), good = folder.appending(path: "good.json")
        try FileManager.default.createSymbolicLink(atPath: zero.path, withDestinationPath: "/dev/zero")
        #expect { try JSONValue(contentsOf: zero) } throws: { "\($0)".contains("exp.json: it is not a regular file") }
        try Data("{\"a\": 1}".utf8).write(to: folder.appending(path: "target.json"))
        try FileManager.default.createSymbolicLink(atPath: good.path, withDestinationPath: "target.json")
        #expect(try JSONValue(contentsOf: good) == ["a": 1])
    }

    @Test func invalidUTF8IsAnError() throws {
        #expect(throws: ConfigurationError.self) { try JSONValue(parsing: Data([0x22, 0xff, 0x22])) }
    }
}
