import BackpropData
import Foundation
import Testing

@Suite("Gzip")
struct GzipTests {
    let source = URL(filePath: "/tmp/fixture.gz")
    let text = Array(String(repeating: "backprop through time and space. ", count: 500).utf8)

    @Test func roundTrips() throws {
        let packed = Gzip.compress(text)
        #expect(Gzip.isGzip(packed))
        #expect(packed.count < text.count / 10)
        #expect(try Gzip.decompress(packed, source: source) == text)
        #expect(try Gzip.decompress(Gzip.compress([]), source: source) == [])
    }

    @Test func joinsConcatenatedMembers() throws {
        let joined = Gzip.compress(Array("first ".utf8)) + Gzip.compress(Array("second".utf8))
        #expect(try Gzip.decompress(joined, source: source) == Array("first second".utf8))
    }

    @Test func readsWhatTheGzipToolWrites() throws {
        // `printf 'hello\n' | gzip -n` as GNU gzip writes it.
        let bytes: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9,
                              0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36, 0x06, 0x00, 0x00, 0x00]
        #expect(try Gzip.decompress(bytes, source: source) == Array("hello\n".utf8))
    }

    @Test func rejectsDataWithoutTheMagic() {
        #expect(throws: DatasetError.notGzip(source)) { try Gzip.decompress(text, source: source) }
    }

    @Test func truncatedStreamIsCorrupt() throws {
        let packed = Gzip.compress(text)
        let error = try #require(throws: DatasetError.self) {
            try Gzip.decompress(Array(packed.prefix(packed.count / 2)), source: source)
        }
        #expect(error == .corruptGzip(source, reason: "the stream ends early, the file is truncated"))
    }

    @Test func damagedChecksumIsCorrupt() throws {
        var packed = Gzip.compress(text)
        packed[packed.count - 6] ^= 0xff  // inside the CRC-32 of the trailer
        let error = try #require(throws: DatasetError.self) { try Gzip.decompress(packed, source: source) }
        #expect(error.description.contains("/tmp/fixture.gz: corrupt gzip data"))
    }
}
