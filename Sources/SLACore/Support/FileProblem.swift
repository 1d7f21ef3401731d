// A problem in an operator's file (policy, calendar), located by file, line and column.

/// A refused policy or calendar file: `file:line:column: reason`, as compilers print it.
public struct FileProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the operator named it.
    public var file: String
    /// 1-based line, when the parser gives one.
    public var line: Int?
    /// 1-based column, when the parser gives one.
    public var column: Int?
    /// What is wrong.
    public var reason: String

    /// Creates a located problem.
    public init(file: String, line: Int?, column: Int?, reason: String) {
        self.file = file; self.line = line; self.column = column; self.reason = reason
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + reason
    }
}
