import Backprop
import BackpropCommandLine
import BackpropTestSupport
import Foundation
import Testing

/// Messages that used to mislead (issue 14, defect 10): each names the file and says what is wrong.
@Suite struct FileMessagesTests {
    @Test func aConfigurationThatCannotBeReadSaysWhy() throws {
        let folder = try makeDatasetFixtureDirectory("file-messages")
        let cases: [(String, String)] = [
            (folder.appending(path: "missing.json").path, "no such file"),
            (folder.path, "is a directory"),
            ("/dev/zero", "not a regular file"),
        ]
        for (path, reason) in cases {
            #expect { try ExperimentConfig(contentsOf: URL(fileURLWithPath: path)) } throws: {
                "\($0)".hasPrefix("cannot read \(path):") && "\($0)".contains(reason)
            }
            #expect { try BackpropTool().run(["search", "--config", path]) } throws: { "\($0)".contains(reason) }
        }
        let broken = folder.appending(path: "broken.json")
        try Foundation.Data("{\"name\": ".utf8).write(to: broken)
        #expect { try ExperimentConfig(contentsOf: broken) } throws: { "\($0)".contains("is not valid JSON") }
    }

    @Test func anOutputThatIsAFileSaysSo() throws {
        let file = try makeDatasetFixtureDirectory("file-out").appending(path: "taken")
        try Foundation.Data("x".utf8).write(to: file)
        #expect { try RunDirectory.create(under: file, name: "run") } throws: {
            "\($0)".contains(file.path) && "\($0)".contains("it is a file")
        }
    }
}
