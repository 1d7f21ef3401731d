// Runs the built `slawatch` binary with arguments and standard input, capturing its output.

import Foundation

enum CLI {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary built next to the test bundle.
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The test runner may live inside the .xctest bundle on some layouts.
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("slawatch").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("slawatch")
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// A crashing child must exit at once: Swift's backtracer would inherit its stderr pipe and
    /// can hold it open for minutes, hanging the read of the child's output.
    static let noBacktracer = ["SWIFT_BACKTRACE": "enable=no"]

    /// Runs the binary (or `executable`) with `args`; `wrapped` runs it under scripts/mdwe-run.
    static func run(_ args: [String], stdin: Data = Data(), executable: String? = nil, wrapped: Bool = false,
                    environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.environment = ProcessInfo.processInfo.environment.merging(environment.merging(noBacktracer) { a, _ in a }) { $1 }
        let target = executable ?? binary.path
        if wrapped {
            p.executableURL = root.appendingPathComponent("scripts/mdwe-run")
            p.arguments = [target] + args
        } else {
            p.executableURL = URL(fileURLWithPath: target)
            p.arguments = args
        }
        p.currentDirectoryURL = root
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe; p.standardOutput = outPipe; p.standardError = errPipe
        try p.run()
        // Feed and drain concurrently so a large output cannot deadlock on a full pipe.
        let writer = Thread { inPipe.fileHandleForWriting.write(stdin); try? inPipe.fileHandleForWriting.close() }
        writer.start()
        let errData = LockedData()
        let reader = Thread { errData.set(errPipe.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !errData.done { Thread.sleep(forTimeInterval: 0.01) }
        return Result(status: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: errData.value, as: UTF8.self))
    }
}

/// A data slot filled by another thread.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var isDone = false
    func set(_ d: Data) { lock.lock(); data = d; isDone = true; lock.unlock() }
    var done: Bool { lock.lock(); defer { lock.unlock() }; return isDone }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}
