// How a benchmark refuses its command line: one line on stderr and exit status 2.

import Foundation

/// A benchmark's answer to a bad command line. Why not `fatalError`: it prints a crash report
/// (a backtrace and every register) for what is a typo, and exits as a crash would.
public enum Usage {
    /// Writes `<tool>: <message>` to standard error and exits with status 2 (a usage error).
    public static func fail(_ tool: String, _ message: String) -> Never {
        FileHandle.standardError.write(Data("\(tool): \(message)\n".utf8))
        exit(2)
    }
}
