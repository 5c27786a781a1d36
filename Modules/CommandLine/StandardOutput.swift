// The C library's `stdout` is a global variable, which Swift 6 sees as shared mutable state; it is only
// read here, once, before the program's body runs, so this file alone imports the C library with
// `@preconcurrency`.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Makes standard output line-buffered whatever it is connected to, so that each printed line reaches a
/// redirected log as soon as it ends (a pipe or a file otherwise gets a 4 KB block at a time, and a
/// killed run leaves its last lines unwritten). Called by ``runProgram(_:)`` before anything is printed.
func lineBufferStandardOutput() {
    setvbuf(stdout, nil, _IOLBF, 0)
}
