/// `docs/settings.md`, generated from ``SettingDefinition/all`` so the documentation cannot drift.
///
/// Regenerate it with `swift run kafka-api-bridge check-config --print-settings-doc > docs/settings.md`;
/// a test fails when the file differs.
public enum SettingsDocumentation {
    /// The whole Markdown document.
    public static func markdown() -> String {
        var lines = [
            "# Settings",
            "",
            "<!-- Generated from SettingDefinition.all: edit the table in Sources/Bridge/Settings,",
            "     then run `swift run kafka-api-bridge check-config --print-settings-doc > docs/settings.md`. -->",
            "",
            "Every setting is read from, in this order, the first that has it:",
            "",
            "1. a command-line flag (`--max-in-flight 64` or `--max-in-flight=64`);",
            "2. an environment variable (`BRIDGE_MAX_IN_FLIGHT=64`);",
            "3. the YAML file named by `--config`, whose keys are the names below (`BRIDGE_MAX_IN_FLIGHT: 64`;",
            "   a topic list may be a YAML list);",
            "4. the default.",
            "",
            "At each level, `NAME_FILE` (flag `--<flag>-file`) names a file holding the value, its trailing",
            "newline removed; setting both `NAME` and `NAME_FILE` at one level is an error. In the YAML file, a",
            "relative path is relative to the file's folder. A value given at a level wins even when empty;",
            "empty means \"none\" for optional settings and topic lists. Unknown flags and unknown keys in the",
            "file are errors; environment variables that are not settings are ignored.",
            "",
            "| name | flag | default | secret | accepts | meaning |",
            "|---|---|---|---|---|---|",
        ]
        for definition in SettingDefinition.all {
            let cells = [
                "`\(definition.name)`",
                "`\(definition.flag)`",
                definition.defaultValue.map { "`\($0)`" } ?? "",
                definition.isSecret ? "yes" : "",
                definition.accepts,
                definition.meaning,
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines += [
            "",
            "## librdkafka properties",
            "",
            "Any other `KAFKA_FOO_BAR` (flag `--kafka-foo-bar`, YAML key `KAFKA_FOO_BAR`) is passed to",
            "librdkafka as the property `foo.bar`, for the consumer and the producer alike, e.g.",
            "`KAFKA_SECURITY_PROTOCOL=SASL_SSL`, `KAFKA_SASL_MECHANISMS=SCRAM-SHA-512`,",
            "`KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD_FILE=/run/secrets/kafka`, `KAFKA_SSL_CA_LOCATION`.",
            "`KAFKA_FOO_BAR_FILE` reads the value from a file. An empty value is an error. librdkafka",
            "rejects a property it does not know when the bridge starts (and `check-config` reports it).",
            "The variables Kubernetes sets for a Service named `kafka` (`KAFKA_PORT`, `KAFKA_PORT_*`,",
            "`KAFKA_SERVICE_*`) are ignored in the environment.",
            "",
            "Secret, so never printed or logged: every `KAFKA_*` name containing `PASSWORD`, `SECRET`, `TOKEN`",
            "or `CREDENTIAL`, and `KAFKA_SSL_KEY_PEM` and `KAFKA_SASL_OAUTHBEARER_CONFIG`.",
            "",
            "## Checks across settings",
            "",
            "- a topic may not be in both `BRIDGE_CUSTOMER_TOPICS` and `BRIDGE_ENTITY_TOPICS`, and the two may not",
            "  both be empty;",
            "- `BRIDGE_REPLY_TOPIC` and `BRIDGE_DLQ_TOPIC` differ from each other and from every input topic;",
            "- `BRIDGE_RETRY_MAX_MS` is at least `BRIDGE_RETRY_BASE_MS`;",
            "- `ASAPP_API_ID` and `ASAPP_API_SECRET` are set together or not at all;",
            "- base URLs carry no user name, password, query or fragment.",
            "",
            "`kafka-api-bridge check-config` loads and checks all of this, prints every setting with",
            "secrets shown as `******`, checks that the brokers and the configured APIs accept a TCP",
            "connection, and asks the cluster for the group's committed offset with the bridge's own",
            "consumer settings (so `KAFKA_*` security settings are tried too; nothing is changed).",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
