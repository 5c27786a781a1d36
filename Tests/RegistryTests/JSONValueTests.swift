import BackpropRegistry
import Testing

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue(parsing: #"{"a": [1, 2.5, true, null, "x"], "b": {"c": false}}"#)
        #expect(value == ["a": [1, 2.5, true, .null, "x"], "b": ["c": false]])
    }

    @Test func booleansAndNumbersStayApart() throws {
        #expect(try JSONValue(parsing: "[1, true, 0, false]") == [1, true, 0, false])
    }

    @Test func printsSortedAndReadsBack() throws {
        let value: JSONValue = ["z": 1, "a": ["x": 0.001, "q": "a\"b"]]
        #expect(value.jsonText == #"{"a":{"q":"a\"b","x":0.001},"z":1}"#)
        #expect(try JSONValue(parsing: value.prettyJSONText) == value)
    }

    @Test func malformedTextIsAnErrorNamingTheSource() {
        #expect { try JSONValue(parsing: "{\"a\": ", source: "exp.json") } throws: { error in
            "\(error)".hasPrefix("exp.json is not valid JSON")
        }
    }

    @Test func optionsRejectUnknownKeysWithASuggestion() throws {
        var options = try Options(["batch_size": 100, "epocs": 3], path: "training")
        let batch: Int = try options.required("batch_size")
        let epochs: Int? = try options.optional("epochs")
        #expect(batch == 100 && epochs == nil)
        #expect { try options.finish() } throws: { error in
            "\(error)".contains("unknown key 'training.epocs'. Did you mean 'epochs'?")
        }
    }

    @Test func integersMustBeWhole() throws {
        var options = try Options(["n": 2.5], path: "")
        #expect(throws: ConfigurationError.self) { let _: Int = try options.required("n") }
    }
}
