// A seeded mutation fuzzer for slawatch's parsers: event and outcome decoders, policy and calendar loaders.
//
//   swift run -c release Fuzz [--runs 1000000 (per target)] [--seed 1] [--target all|events|outcomes|rollup-state|policy|calendar]
//                             [--corpus Tests/FuzzCorpus] [--save]
//
// Every input is fed to its parser, which must accept it or refuse it with a reason — never
// crash, never take longer than the hang limit. A crash (a trap or signal) writes the input
// to `fuzz-crash.bin` and exits 2; a hang writes `fuzz-hang.bin` and exits 3. Inputs whose
// outcome is new (accepted, or refused for a reason not seen before, digits and quoted values
// set aside) are kept with --save in the corpus, which the tests replay.

import Foundation
import SLACore

let arguments = FuzzArguments(CommandLine.arguments)
let targets = FuzzTarget.all.filter { arguments.target == "all" || $0.name == arguments.target }
guard !targets.isEmpty else {
    FileHandle.standardError.write(Data("Fuzz: unknown --target \(arguments.target) (all, \(FuzzTarget.all.map(\.name).joined(separator: ", ")))\n".utf8))
    exit(64)
}
CrashCapture.install()
let watchdog = HangWatchdog(limitSeconds: arguments.hangSeconds)
var report: [String] = []
for target in targets {
    let corpus = FuzzCorpus(directory: arguments.corpus + "/" + target.name)
    var mutator = Mutator(seed: arguments.seed, seeds: target.seeds() + corpus.inputs)
    var signatures = Set(corpus.inputs.map { target.signature($0) })
    var accepted = 0, refused = 0, kept = 0
    let runs = arguments.runs
    let started = Date()
    var slowest = 0.0
    for i in 0..<runs {
        let input = mutator.next()
        CrashCapture.remember(input)
        watchdog.begin(input)
        let t0 = DispatchTime.now().uptimeNanoseconds
        let sig = target.signature(input)
        slowest = max(slowest, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        watchdog.end()
        if sig.hasPrefix("accepted") { accepted += 1 } else { refused += 1 }
        if signatures.insert(sig).inserted {
            mutator.add(input)
            if arguments.save, corpus.count < target.corpusLimit { corpus.save(input); kept += 1 }
        }
        if (i + 1) % 250_000 == 0 {
            FileHandle.standardError.write(Data("Fuzz: \(target.name) \(i + 1)/\(runs) inputs, \(signatures.count) outcomes seen\n".utf8))
        }
    }
    let seconds = Date().timeIntervalSince(started)
    let line = "\(target.name): \(runs) inputs in \(String(format: "%.1f", seconds)) s (\(Int(Double(runs) / seconds)) /s), accepted \(accepted), refused \(refused), 0 crashes, 0 hangs, slowest input \(String(format: "%.1f", slowest * 1000)) ms, \(signatures.count) distinct outcomes, corpus +\(kept)"
    print(line)
    report.append(line)
}
// The crash file is opened up front (the signal handler may not open files); nothing crashed.
unlink("fuzz-crash.bin")
