// Turns a refused policy or calendar file into a one-line message and exit status 1.

import ArgumentParser
import SLACore
import SLAService


/// Reports file problems as `slawatch: file:line:col: reason` on stderr.
enum FileProblemExit {
    static func catching<T>(_ body: () throws(FileProblem) -> T) throws -> T {
        do { return try body() } catch {
            Stderr.write("slawatch: \(error)\n")
            throw ExitCode(1)
        }
    }
}

/// Unbuffered writes to standard output, so a reader of a pipe sees each line at once.
enum Stdout {
    static func write(_ s: String) { FileDescriptorWriter.write(s, to: 1) }
}

/// Unbuffered writes to standard error.
enum Stderr {
    static func write(_ s: String) { FileDescriptorWriter.write(s, to: 2) }
}
