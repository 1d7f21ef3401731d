// Unbuffered writes to a file descriptor: whole lines, straight to write(2).

import Glibc

/// Writes text with `write(2)` directly: unbuffered (a reader of a pipe sees each line at
/// once), one call per line where the kernel allows (lines from different threads do not
/// interleave), and free of the C `stdout`/`stderr` globals, which are not concurrency-safe in
/// Swift 6.
public enum FileDescriptorWriter {
    /// Writes all of `s` to `fd`, retrying short writes; stops quietly when the descriptor is gone.
    public static func write(_ s: String, to fd: Int32) {
        var bytes = Array(s.utf8)
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
