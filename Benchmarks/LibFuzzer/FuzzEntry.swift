// Coverage-guided fuzz targets (libFuzzer) for every parser of untrusted bytes, and a replayer.
//
// Built with the fuzzer (scripts/fuzz): `-sanitize=fuzzer,address -DLIBFUZZER`, libFuzzer's
// own main drives `LLVMFuzzerTestOneInput` with the target `SLAWATCH_FUZZ_TARGET` names.
// Built plainly (every `swift build`), it replays the files given as arguments through a target:
// `FuzzTargets events Tests/FuzzCorpus/events/*`.

import Foundation
import SLACore

/// The parsers fuzzed, by name. Each must accept or refuse every input; a crash, a sanitizer
/// report or a hang is the finding.
enum FuzzTarget: String, CaseIterable {
    case events, outages, outcomes, policy, calendar, state

    /// The policy states are decoded against (the shipped one's stage ids are what a changelog holds).
    nonisolated(unsafe) static var statePolicy: Policy?

    func run(_ bytes: [UInt8]) {
        switch self {
        case .events: _ = try? EventDecoder.ticket(bytes)
        case .outages: _ = try? EventDecoder.outage(bytes)
        case .outcomes: _ = try? Outcome.decode(bytes)
        case .policy: _ = try? PolicyLoader.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
        case .calendar: _ = try? CalendarLoader.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
        case .state:
            if Self.statePolicy == nil { Self.statePolicy = try? PolicyLoader.parse(Self.shippedPolicy, file: "policy.yaml") }
            if let p = Self.statePolicy { _ = try? StateCodec.decode(bytes, policy: p) }
        }
    }

    /// Stage ids of the shipped policy, enough for states to name real stages.
    static let shippedPolicy = (try? String(contentsOfFile: "policy/95598.yaml", encoding: .utf8)) ?? ""
}

#if LIBFUZZER
nonisolated(unsafe) private var selected: FuzzTarget?

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// SwiftPM links an executable's entry as `<target>_main`; libFuzzer's driver runs from here.
@_cdecl("FuzzTargets_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v) { data, size in fuzzOne(data ?? UnsafePointer(bitPattern: 1)!, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    if selected == nil {
        let name = ProcessInfo.processInfo.environment["SLAWATCH_FUZZ_TARGET"] ?? ""
        guard let t = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("SLAWATCH_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue))\n".utf8))
            exit(2)
        }
        selected = t
    }
    selected!.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
@main
struct FuzzReplay {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: FuzzTargets \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE…")
            exit(2)
        }
        var n = 0
        for path in args.dropFirst() {
            guard let d = FileManager.default.contents(atPath: path) else { continue }
            target.run(Array(d))
            n += 1
        }
        print("\(name): \(n) inputs replayed")
    }
}
#endif
