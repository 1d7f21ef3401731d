// Turns a refused policy or calendar file into a one-line message and exit status 1.

import ArgumentParser
import SLACore

import Glibc

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

enum FileDescriptorWriter {
    static func write(_ s: String, to fd: Int32) {
        var bytes = Array(s.utf8)
        // write(2) directly: the C `stderr` global is not concurrency-safe in Swift 6.
        bytes.withUnsafeMutableBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n <= 0 { break }
                done += n
            }
        }
    }
}
