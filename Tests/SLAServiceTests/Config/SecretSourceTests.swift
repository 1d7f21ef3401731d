import SLACore
import SLAService
import Testing

@Suite struct SecretSourceTests {
    static let files: [String: String] = ["/run/credentials/slawatch.service/sasl-password": "from-credential\n", "/etc/slawatch/pw": "from-file"]
    static func source(_ env: [String: String] = [:]) -> SecretSource {
        SecretSource(environment: env) { files[$0] }
    }

    @Test func secretsComeFromFilesCredentialsAndTheEnvironment() throws {
        let text = """
            kafka:
              bootstrap.servers: k:9092
              sasl.password: { credential: sasl-password }
              ssl.key.password: { file: /etc/slawatch/pw }
            """
        let env = ["CREDENTIALS_DIRECTORY": "/run/credentials/slawatch.service"]
        let c = try SlawatchConfig.parse(text, file: "s.yaml", environment: env, secrets: Self.source(env))
        #expect(c.kafka["sasl.password"] == "from-credential", "one trailing newline dropped")
        #expect(c.kafka["ssl.key.password"] == "from-file")
        #expect(!c.kafka.description.contains("from-"))
        let viaEnv = try SlawatchConfig.parse("kafka: {bootstrap.servers: k:1}\n", file: "s.yaml",
                                              environment: ["SLAWATCH_KAFKA_SASL_PASSWORD_FILE": "/etc/slawatch/pw"],
                                              secrets: Self.source())
        #expect(viaEnv.kafka["sasl.password"] == "from-file")
    }

    @Test func aMissingSecretIsAProblemAtItsKey() {
        let (config, problems) = SlawatchConfig.check("""
            kafka:
              bootstrap.servers: k:9092
              sasl.password: { credential: sasl-password }
              ssl.key.password: { file: /nope }
              sasl.username: { vault: x }
            """, file: "s.yaml", secrets: Self.source())
        #expect(config == nil)
        let text = problems.map(\.description)
        #expect(text.contains { $0.hasPrefix("s.yaml:3:") && $0.contains("CREDENTIALS_DIRECTORY is not set (give the unit LoadCredential=sasl-password:…)") }, "\(text)")
        #expect(text.contains { $0.hasPrefix("s.yaml:4:") && $0.contains("cannot read /nope") }, "\(text)")
        #expect(text.contains { $0.hasPrefix("s.yaml:5:") && $0.contains("vault") }, "\(text)")
    }

    @Test func anEmptyCredentialIsRefusedNotSentAsAPassword() {
        // The Debian package leaves the unit's credential file empty for an instance without SASL.
        let env = ["CREDENTIALS_DIRECTORY": "/run/credentials/slawatch.service"]
        let source = SecretSource(environment: env) { $0 == "/run/credentials/slawatch.service/sasl-password" ? "" : nil }
        #expect(throws: SettingRefusal("credential \"sasl-password\" is empty: the file the unit's LoadCredential=sasl-password:… names is empty (docs/operations.md, Secrets)")) {
            try source.credential("sasl-password")
        }
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let (_, problems) = SlawatchConfig.check("""
            kafka:
              bootstrap.servers: k:9092
              linger.ms: soon
              no.such.property: 1
            worker:
              batch_size: 0
              colour: red
              commit_interval: often
            """, file: "s.yaml", environment: ["SLAWATCH_WORKER_CATCH_UP_RATE": "fast", "SLAWATCH_KAFKA_SECURITY_PROTOCOL": "bogus"])
        let text = problems.map(\.description)
        #expect(problems.count == 7, "\(text)")
        #expect(text.contains { $0.hasPrefix("s.yaml:3:") && $0.contains("kafka.linger.ms: librdkafka refuses it") })
        #expect(text.contains { $0.hasPrefix("s.yaml:4:") && $0.contains("No such configuration property") })
        #expect(text.contains { $0.contains("SLAWATCH_KAFKA_SECURITY_PROTOCOL: librdkafka refuses it: Invalid value \"bogus\"") })
        #expect(text.contains { $0.contains("SLAWATCH_WORKER_CATCH_UP_RATE") })
        #expect(text.contains { $0.hasPrefix("s.yaml:7:") && $0.contains("worker.colour: unknown key") })
    }
}
