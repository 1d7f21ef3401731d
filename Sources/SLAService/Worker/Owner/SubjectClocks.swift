// A subject's running and waiting clocks, for the gauges.

import SLACore

/// A subject's running clocks (stage indices) and waiting ones (their reasons), one entry per cycle.
struct SubjectClocks: Equatable {
    var running: [Int] = []
    var waiting: [UnresolvedReason.Code] = []
}
