// The fuzzer's arguments, corpus directory, crash capture and hang watchdog.

import Foundation

/// `--runs N --seed S --target T --corpus DIR --save --hang-seconds X`.
struct FuzzArguments {
    var runs = 1_000_000
    var seed: UInt64 = 1
    var target = "all"
    var corpus = "Tests/FuzzCorpus"
    var save = false
    var hangSeconds = 2.0

    init(_ args: [String]) {
        var it = args.dropFirst().makeIterator()
        func fail(_ m: String) -> Never {
            FileHandle.standardError.write(Data("Fuzz: \(m)\n".utf8))
            exit(64)
        }
        while let a = it.next() {
            switch a {
            case "--runs": guard let v = it.next().flatMap(Int.init), v > 0 else { fail("--runs needs a positive number") }; runs = v
            case "--seed": guard let v = it.next().flatMap(UInt64.init) else { fail("--seed needs a number") }; seed = v
            case "--target": guard let v = it.next() else { fail("--target needs a name") }; target = v
            case "--corpus": guard let v = it.next() else { fail("--corpus needs a directory") }; corpus = v
            case "--hang-seconds": guard let v = it.next().flatMap(Double.init), v > 0 else { fail("--hang-seconds needs a number") }; hangSeconds = v
            case "--save": save = true
            default: fail("unknown argument \(a) (--runs, --seed, --target, --corpus, --save, --hang-seconds)")
            }
        }
    }
}

/// The kept inputs of one target: one file each, named by a hash of the bytes.
final class FuzzCorpus {
    let directory: String
    private(set) var inputs: [[UInt8]] = []

    init(directory: String) {
        self.directory = directory
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        inputs = names.compactMap { FileManager.default.contents(atPath: directory + "/" + $0).map(Array.init) }
    }

    var count: Int { inputs.count }

    func save(_ input: [UInt8]) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in input { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        _ = FileManager.default.createFile(atPath: directory + "/" + String(h, radix: 16), contents: Data(input))
        inputs.append(input)
    }
}

/// On a trap or fatal signal, writes the input being parsed to `fuzz-crash.bin` and exits 2.
enum CrashCapture {
    nonisolated(unsafe) static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 22)
    nonisolated(unsafe) static var length = 0
    nonisolated(unsafe) static var fd: Int32 = -1

    static func install() {
        fd = open("fuzz-crash.bin", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        for s in [SIGTRAP, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            signal(s) { _ in
                // Only async-signal-safe calls here.
                _ = write(CrashCapture.fd, CrashCapture.buffer, CrashCapture.length)
                let msg = "Fuzz: CRASH — the input is in fuzz-crash.bin\n"
                _ = msg.withCString { write(2, $0, strlen($0)) }
                _exit(2)
            }
        }
    }

    static func remember(_ input: [UInt8]) {
        length = min(input.count, 1 << 22)
        input.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: length) }
    }
}

/// Flags an input that takes longer than the limit: writes it to `fuzz-hang.bin` and exits 3.
final class HangWatchdog: @unchecked Sendable {
    // @unchecked: `current` and `since` are guarded by `lock`.
    private let lock = NSLock()
    private var current: [UInt8]?
    private var since = Date()

    init(limitSeconds: Double) {
        Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 0.2)
                let stuck: [UInt8]? = lock.withLock { current != nil && Date().timeIntervalSince(since) > limitSeconds ? current : nil }
                if let stuck {
                    _ = FileManager.default.createFile(atPath: "fuzz-hang.bin", contents: Data(stuck))
                    FileHandle.standardError.write(Data("Fuzz: HANG over \(limitSeconds) s — the input is in fuzz-hang.bin\n".utf8))
                    exit(3)
                }
            }
        }.start()
    }

    func begin(_ input: [UInt8]) { lock.withLock { current = input; since = Date() } }
    func end() { lock.withLock { current = nil } }
}
