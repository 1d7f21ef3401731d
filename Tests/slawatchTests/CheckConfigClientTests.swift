import Foundation
import Testing

/// check-config refuses what `run` refuses at start, including what librdkafka checks only when
/// a client is made, and says when a secret file is readable by others.
@Suite struct CheckConfigClientTests {
    private func write(_ text: String, mode: Int = 0o600) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cc-\(UUID()).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func aBogusSASLMechanismIsRefusedByCheckConfigAsByRun() throws {
        let path = try write("""
            kafka:
              bootstrap.servers: 127.0.0.1:1
              security.protocol: sasl_plaintext
              sasl.mechanisms: BOGUS
              sasl.username: u
              sasl.password: p
            worker:
              http_listen: ""
            """)
        let r = try CLI.run(["check-config", path])
        #expect(r.status == 1, "\(r.stdout)")
        #expect(r.stderr.contains("kafka: librdkafka cannot make the producer from this configuration"), "\(r.stderr)")
        #expect(r.stderr.contains("BOGUS"))
        let run = try CLI.run(["run", "--config", path, "--log-format", "text"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("librdkafka cannot make the producer"))
    }

    @Test(arguments: [0o644, 0o666, 0o640])
    func aSecretFileOthersMayReadIsWarnedAbout(mode: Int) throws {
        let secret = try write("s3cret\n", mode: mode)
        let path = try write("""
            kafka:
              bootstrap.servers: 127.0.0.1:1
              security.protocol: sasl_plaintext
              sasl.mechanisms: PLAIN
              sasl.username: u
              sasl.password: { file: \(secret) }
            """)
        let r = try CLI.run(["check-config", path])
        #expect(r.status == 0, "\(r.stderr)")
        let octal = String(mode, radix: 8)
        #expect(r.stderr.contains("warning: \(secret): readable by"), "\(r.stderr)")
        #expect(r.stderr.contains("(mode 0\(octal)); a secret file should be mode 0600 or 0400"))
        #expect(!r.stderr.contains("s3cret") && !r.stdout.contains("s3cret"))
    }

    @Test func aSecretFileOnlyItsOwnerReadsIsNotWarnedAbout() throws {
        let secret = try write("s3cret\n", mode: 0o600)
        let path = try write("""
            kafka:
              bootstrap.servers: 127.0.0.1:1
              sasl.password: { file: \(secret) }
            """)
        let r = try CLI.run(["check-config", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("warning"))
    }

    @Test func anEmptySecretIsRefused() throws {
        let empty = try write("\n")
        let path = try write("""
            kafka:
              bootstrap.servers: 127.0.0.1:1
              sasl.password: { file: \(empty) }
            """)
        let r = try CLI.run(["check-config", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(path):3:18: kafka.sasl.password: sasl.password is empty; give the secret, or leave the property out"), "\(r.stderr)")
        let inline = try write("""
            kafka:
              bootstrap.servers: 127.0.0.1:1
              sasl.password: ""
            """)
        let r2 = try CLI.run(["check-config", inline])
        #expect(r2.status == 1)
        #expect(r2.stderr.contains("sasl.password is empty"))
    }
}
