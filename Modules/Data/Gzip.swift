import CZlib
import Foundation

/// gzip decompression (and compression, for fixtures and exports) through the system zlib.
///
/// The IDX files of MNIST and Fashion-MNIST are distributed gzip-compressed; zlib's `inflate` with
/// window bits `16 + MAX_WBITS` reads the gzip wrapper and checks its CRC, so a damaged download is an
/// error instead of silently wrong pixels.
///
/// ```swift
/// let raw = try Gzip.decompress(try Data(contentsOf: url).map { $0 }, source: url)
/// ```
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number 1f 8b.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The uncompressed content of a gzip stream (several concatenated members are joined).
    ///
    /// - Parameters:
    ///   - input: the compressed bytes.
    ///   - source: the file the bytes came from, named in errors.
    ///   - limit: how far the data may expand; a stream that would expand further is rejected as soon as
    ///     it passes the limit, so a gzip bomb costs at most the limit in memory.
    /// - Throws: `DatasetError.notGzip` when the magic bytes are missing, `DatasetError.corruptGzip` when
    ///   the stream is damaged, ends early, or expands beyond `limit`.
    public static func decompress(_ input: [UInt8], source: URL, limit: Limit = .standard) throws -> [UInt8] {
        guard isGzip(input) else { throw DatasetError.notGzip(source) }
        guard input.count < Int(UInt32.max) else {
            throw DatasetError.corruptGzip(source, reason: "files over 4 GiB are not supported")
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DatasetError.corruptGzip(source, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        let cap = limit.outputCap(inputBytes: input.count)
        // One byte of room beyond the cap tells a stream that ends exactly at the cap from one that goes on.
        var output = [UInt8](repeating: 0, count: min(limit.firstBufferSize(inputBytes: input), cap + 1))
        var produced = 0
        try input.withUnsafeBufferPointer { inputBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress!)
            stream.avail_in = UInt32(inputBuffer.count)
            while true {
                if produced == output.count {
                    guard produced <= cap else {
                        throw DatasetError.corruptGzip(source, reason: "the data expands beyond \(cap) bytes, the limit for "
                            + "\(inputBuffer.count) compressed bytes (\(limit)); a damaged file or a gzip bomb")
                    }
                    output += [UInt8](repeating: 0, count: min(output.count, cap + 1 - output.count))
                }
                let room = min(output.count - produced, Int(UInt32.max))
                let status = output.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(room)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                produced += room - Int(stream.avail_out)
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // Another member may follow (as `cat a.gz b.gz` makes); anything else ends the data.
                    let rest = Int(stream.avail_in)
                    let next = inputBuffer.count - rest
                    guard rest >= 2, inputBuffer[next] == 0x1f, inputBuffer[next + 1] == 0x8b else { return }
                    inflateReset(&stream)
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw DatasetError.corruptGzip(source, reason: "the stream ends early, the file is truncated")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw DatasetError.corruptGzip(source, reason: message)
                }
            }
        }
        guard produced <= cap else {
            throw DatasetError.corruptGzip(source, reason: "the data expands beyond \(cap) bytes, the limit for "
                + "\(input.count) compressed bytes (\(limit)); a damaged file or a gzip bomb")
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// A gzip stream holding `input`, compressed at `level` (0 to 9).
    public static func compress(_ input: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION) -> [UInt8] {
        var stream = z_stream()
        let started = deflateInit2_(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                    zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(started == Z_OK, "zlib deflateInit2 failed with \(started)")
        defer { deflateEnd(&stream) }
        // The bound is zlib's promise for one Z_FINISH call; the gzip header and trailer are included.
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 64)
        var input = input
        let written = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { out -> Int in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "zlib deflate failed with \(status)")
                return out.count - Int(stream.avail_out)
            }
        }
        output.removeLast(output.count - written)
        return output
    }
}
