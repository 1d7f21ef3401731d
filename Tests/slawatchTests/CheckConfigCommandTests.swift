import Foundation
import Testing

@Suite struct CheckConfigCommandTests {
    @Test func theShippedExampleIsValid() throws {
        let r = try CLI.run(["check-config", "deploy/slawatch.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("ok: deploy/slawatch.yaml"))
        #expect(r.stdout.contains("policy 95598-default-2026.12"))
    }

    @Test func listsEveryProblemAndFails() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID()).yaml").path
        try """
            kafka:
              bootstrap.servers: k:9092
              sasl.password: TOPSECRET
              linger.ms: soon
            worker:
              batch_size: lots
              policy: /no/such/policy.yaml
              events_topic: "bad name"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLI.run(["check-config", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(path):4:14: kafka.linger.ms: librdkafka refuses it"), "\(r.stderr)")
        #expect(r.stderr.contains("\(path):6:15: worker.batch_size: \"lots\" is not a whole number"))
        #expect(r.stderr.contains("\(path):8:17: worker.events_topic: \"bad name\" is not a Kafka topic name"))
        #expect(r.stderr.contains("/no/such/policy.yaml: cannot read the file"))
        #expect(r.stderr.contains("4 problems"))
        #expect(!r.stderr.contains("TOPSECRET") && !r.stdout.contains("TOPSECRET"))
        // The daemon refuses to start on the same problems.
        let run = try CLI.run(["run", "--config", path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("worker.batch_size") && run.stderr.contains("/no/such/policy.yaml"))
    }
}
