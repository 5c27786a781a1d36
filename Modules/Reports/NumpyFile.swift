import BackpropTensor
import Foundation

/// Reads and writes tensors as NumPy `.npy` files (format version 1.0), so that weights and curves
/// saved by a run load with `numpy.load` for plotting or comparison with the course's reference code.
///
/// ```swift
/// try NumpyFile.write(network.weight.value, to: run.appendingPathComponent("W1.npy"))
/// let w = try NumpyFile.read(url, as: Float.self)
/// ```
///
/// The bytes written are the ones `numpy.save` writes for the same array: the magic `\x93NUMPY`,
/// version 1.0, a little-endian 16-bit header length, the header dictionary padded with spaces and a
/// newline so that the data starts at a multiple of 64 bytes, then the elements little-endian in row-major
/// (C) order. Reading accepts versions 1 to 3, `<f4` and `<f8` elements (converted to the requested
/// scalar) and C order only.
public enum NumpyFile {
    /// The `.npy` bytes of `tensor`, described by `S.numpyDescriptor` (`<f4` for `Float`, `<f8` for
    /// `Double`).
    ///
    /// A scalar type with any other descriptor is stored as `<f8`, converted through `Double`.
    public static func encode<S: TensorScalar>(_ tensor: Tensor<S>) -> Data {
        let kind = ElementKind(descriptor: S.numpyDescriptor) ?? .float64
        var bytes = NumpyHeader.encoded(descriptor: kind.descriptor, shape: tensor.shape)
        bytes.reserveCapacity(bytes.count + tensor.count * kind.size)
        let nativeLayout = 1.littleEndian == 1 && MemoryLayout<S>.size == kind.size
            && (S.self == Float.self || S.self == Double.self)
        if nativeLayout {
            tensor.scalars.withUnsafeBytes { bytes.append(contentsOf: $0) }
        } else {
            for value in tensor.scalars {
                switch kind {
                case .float32: appendLittleEndian(Float(value).bitPattern, to: &bytes)
                case .float64: appendLittleEndian(Double(value).bitPattern, to: &bytes)
                case .uint8: bytes.append(UInt8(clamping: Int(Double(value).rounded())))
                }
            }
        }
        return Data(bytes)
    }

    /// Writes `tensor` to `url` atomically (see `AtomicFile`), creating parent directories.
    ///
    /// - Throws: `ReportFileError.cannotWrite` naming the path.
    public static func write<S: TensorScalar>(_ tensor: Tensor<S>, to url: URL) throws {
        try AtomicFile.write(encode(tensor), to: url)
    }

    /// Reads the `.npy` file at `url` as a tensor of `S`, converting `<f4`, `<f8` or `|u1` elements.
    ///
    /// - Throws: `ReportFileError.cannotRead` when the file cannot be opened, is not a regular file or is
    ///   over 1 GiB, and
    ///   `ReportFileError.malformedNumpy` naming the path for a bad magic, a bad header, an unsupported
    ///   element type, Fortran order, or a data size that does not match the shape.
    public static func read<S: TensorScalar>(_ url: URL, as type: S.Type = S.self) throws -> Tensor<S> {
        try decode(InputFile.data(of: url), as: type, source: url.path)
    }

    /// Decodes `.npy` bytes; `source` names them in errors (a path, or a description such as "W.npy in
    /// checkpoint").
    ///
    /// - Throws: `ReportFileError.malformedNumpy`, as for `read`.
    public static func decode<S: TensorScalar>(_ data: Data, as _: S.Type = S.self, source: String) throws -> Tensor<S> {
        let bytes = [UInt8](data)
        func malformed(_ reason: String) -> ReportFileError {
            .malformedNumpy(path: source, reason: reason)
        }
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw malformed("it does not start with the magic string \\x93NUMPY")
        }
        let major = bytes[6]
        let headerStart: Int, headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw malformed("the header length is truncated") }
            headerStart = 12
            headerLength = (8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }
        default:
            throw malformed("format version \(major).\(bytes[7]) is not supported (1.0 to 3.0 are)")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw malformed("the header needs \(headerLength) bytes but the file ends after \(bytes.count - headerStart)")
        }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        // Versions 1 and 2 use Latin-1 headers, version 3 UTF-8; NumPy only writes ASCII in either.
        let headerText = major == 3
            ? String(decoding: headerBytes, as: UTF8.self)
            : String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))
        let header: NumpyHeader
        do {
            header = try NumpyHeader(parsing: headerText)
        } catch {
            // The header may be up to 4 GB in versions 2 and 3: quote at most its first 200 characters.
            let quoted = headerText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw malformed("bad header \(quoted.count > 200 ? quoted.prefix(200) + "…" : quoted): \(error.reason)")
        }
        guard let kind = ElementKind(descriptor: header.descriptor) else {
            throw malformed("element type '\(header.descriptor)' is not supported (only '<f4', '<f8' and '|u1' are)")
        }
        guard !header.fortranOrder else {
            throw malformed("Fortran-ordered arrays are not supported; save with numpy.ascontiguousarray")
        }
        let (count, overflow) = header.shape.reduce((1, false)) { partial, extent in
            let product = partial.0.multipliedReportingOverflow(by: extent)
            return (product.partialValue, partial.1 || product.overflow)
        }
        let available = bytes.count - headerStart - headerLength
        guard !overflow, count <= available / kind.size else {
            throw malformed("shape \(header.shape) needs \(count) × \(kind.size) bytes of data but only \(available) remain (truncated)")
        }
        guard available == count * kind.size else {
            throw malformed("shape \(header.shape) needs \(count * kind.size) bytes of data but \(available) follow the header")
        }
        let dataStart = headerStart + headerLength
        let byteCount = count * kind.size
        let sameLayout = 1.littleEndian == 1
            && ((S.self == Float.self && kind == .float32) || (S.self == Double.self && kind == .float64))
        if sameLayout {
            // The file's bytes are the array's bytes: copy them in one go.
            let scalars = [S](unsafeUninitializedCapacity: count) { buffer, initialized in
                bytes.withUnsafeBytes { raw in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: raw[dataStart..<(dataStart + byteCount)]))
                }
                initialized = count
            }
            return Tensor(shape: header.shape, scalars: scalars)
        }
        var scalars = [S]()
        scalars.reserveCapacity(count)
        bytes.withUnsafeBytes { raw in
            for index in 0..<count {
                let offset = dataStart + index * kind.size
                switch kind {
                case .float32:
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                    scalars.append(S(Float(bitPattern: bits)))
                case .float64:
                    let bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                    scalars.append(S(Double(bitPattern: bits)))
                case .uint8:
                    scalars.append(S(Float(raw[offset])))
                }
            }
        }
        return Tensor(shape: header.shape, scalars: scalars)
    }

    private static func appendLittleEndian<I: FixedWidthInteger>(_ value: I, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// The element types Backprop reads (all three) and writes (the two floats); `|u1` is raw pixels.
    private enum ElementKind {
        case float32, float64, uint8

        init?(descriptor: String) {
            switch descriptor {
            case "<f4": self = .float32
            case "<f8": self = .float64
            case "|u1", "<u1", "u1": self = .uint8
            default: return nil
            }
        }

        var descriptor: String {
            switch self {
            case .float32: "<f4"
            case .float64: "<f8"
            case .uint8: "|u1"
            }
        }

        var size: Int {
            switch self {
            case .float32: 4
            case .float64: 8
            case .uint8: 1
            }
        }
    }
}
