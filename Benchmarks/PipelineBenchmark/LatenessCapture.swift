// Captures the worker's timer-lateness recordings through swift-metrics.

import CoreMetrics
import Foundation
import SLAService

/// A metrics backend that keeps every value recorded under the timer-lateness name and
/// ignores the rest.
final class LatenessCapture: MetricsFactory, @unchecked Sendable {
    // @unchecked: `values` and `recording` are guarded by `lock`.
    private let lock = NSLock()
    private var values: [Double] = []
    private var recording = false

    /// Starts or stops keeping values (only the probe window counts).
    func record(_ on: Bool) { lock.withLock { recording = on; if on { values.removeAll() } } }

    /// The values kept, in seconds.
    var recorded: [Double] { lock.withLock { values } }

    fileprivate func add(_ v: Double) { lock.withLock { if recording { values.append(v) } } }

    func makeCounter(label: String, dimensions: [(String, String)]) -> CounterHandler { Ignored() }
    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> FloatingPointCounterHandler { Ignored() }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> RecorderHandler {
        label == MetricName.timerLateness ? Keeper(capture: self) : Ignored()
    }
    func makeMeter(label: String, dimensions: [(String, String)]) -> MeterHandler { Ignored() }
    func makeTimer(label: String, dimensions: [(String, String)]) -> TimerHandler { Ignored() }
    func destroyCounter(_ handler: CounterHandler) {}
    func destroyFloatingPointCounter(_ handler: FloatingPointCounterHandler) {}
    func destroyMeter(_ handler: MeterHandler) {}
    func destroyRecorder(_ handler: RecorderHandler) {}
    func destroyTimer(_ handler: TimerHandler) {}

    private final class Keeper: RecorderHandler, @unchecked Sendable {
        let capture: LatenessCapture
        init(capture: LatenessCapture) { self.capture = capture }
        func record(_ value: Int64) { capture.add(Double(value)) }
        func record(_ value: Double) { capture.add(value) }
    }

    private final class Ignored: CounterHandler, FloatingPointCounterHandler, RecorderHandler, MeterHandler, TimerHandler, @unchecked Sendable {
        func increment(by: Int64) {}
        func increment(by: Double) {}
        func reset() {}
        func record(_ value: Int64) {}
        func record(_ value: Double) {}
        func set(_ value: Int64) {}
        func set(_ value: Double) {}
        func decrement(by: Double) {}
        func recordNanoseconds(_ duration: Int64) {}
    }
}
