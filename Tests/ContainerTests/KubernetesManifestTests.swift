import Foundation
import Testing

/// deploy/kubernetes parses, sets only variables the bridge reads, gives secrets as files of a
/// mounted Secret, probes what the bridge serves, and fits the image and the contract.
@Suite struct KubernetesManifestTests {
    /// The container's environment with the bridge's defaults for what it leaves unset.
    static func setting(_ name: String, in environment: [String: String?]) -> String? {
        environment[name].flatMap { $0 } ?? BridgeVariables.defaultValue(of: name)
    }

    @Test func theKustomizationListsOneOfEachResource() throws {
        let manifests = try KubernetesManifests.load()
        let kinds = manifests.documents.compactMap { $0["kind"] as? String }
        #expect(kinds.sorted() == [
            "ConfigMap", "Deployment", "PodDisruptionBudget", "PrometheusRule", "ScaledObject", "Service", "ServiceMonitor",
        ])
        for document in manifests.documents {
            #expect(KubernetesManifests.name(of: document) != nil, "every resource is named: \(document["kind"] ?? "?")")
            #expect(document["apiVersion"] is String)
        }
    }

    @Test func everyVariableIsASettingTheBridgeReads() throws {
        let manifests = try KubernetesManifests.load()
        let environment = try manifests.environment(of: try manifests.bridgeContainer())
        #expect(environment["KAFKA_BOOTSTRAP_SERVERS"] != nil, "the one required setting is set")
        let unread = BridgeVariables.unread(environment.keys)
        #expect(unread.isEmpty, "the Deployment sets variables the bridge does not read: \(unread)")
        for name in environment.keys {
            if let setting = BridgeVariables.settingOfFileVariant(name) {
                #expect(environment[setting] == nil, "\(setting) and \(name) together are a settings error")
            }
        }
    }

    @Test func secretsAreFilesOfAMountedSecretVolume() throws {
        let manifests = try KubernetesManifests.load()
        let container = try manifests.bridgeContainer()
        let environment = try manifests.environment(of: container)
        let volumes = try manifests.podSpec()["volumes"] as? [[String: Any]] ?? []
        let secretVolumes = Set(volumes.filter { $0["secret"] != nil }.compactMap { $0["name"] as? String })
        let mounts = (container["volumeMounts"] as? [[String: Any]] ?? []).filter { mount in
            (mount["name"] as? String).map(secretVolumes.contains) == true
        }
        #expect(!mounts.isEmpty, "a Secret volume is mounted")
        for mount in mounts {
            #expect(mount["readOnly"] as? Bool == true)
            #expect(mount["subPath"] == nil, "a subPath mount never sees a rotated Secret")
        }
        let mountPaths = mounts.compactMap { $0["mountPath"] as? String }

        for name in environment.keys where BridgeVariables.isSecret(name) {
            Issue.record("secret \(name) is given as a value, not as \(name)_FILE")
        }
        let secretSettings = Set(BridgeVariables.secretSettings)
        let givenAsFiles = Set(environment.keys.compactMap(BridgeVariables.settingOfFileVariant))
        #expect(secretSettings.isSubset(of: givenAsFiles), "every secret setting is given: \(secretSettings.subtracting(givenAsFiles))")
        for (name, value) in environment where BridgeVariables.settingOfFileVariant(name).map(BridgeVariables.isSecret) == true {
            let path = try #require(value, "\(name) has a literal path")
            let underAMount = mountPaths.contains { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
            #expect(underAMount, "\(name)=\(path) is a file of a mounted Secret volume \(mountPaths)")
        }
    }

    @Test func probesAskTheBridgesHealthAndReadinessOnItsPort() throws {
        let manifests = try KubernetesManifests.load()
        let container = try manifests.bridgeContainer()
        let environment = try manifests.environment(of: container)
        let port = try #require(Self.setting("BRIDGE_HTTP_PORT", in: environment).flatMap { Int($0) })
        let expected = ["livenessProbe": "/healthz", "readinessProbe": "/readyz"]
        for (probe, path) in expected {
            let get = try KubernetesManifests.value(container, at: [probe, "httpGet"])
            #expect(get["path"] as? String == path, "\(probe) asks \(path)")
            #expect(KubernetesManifests.resolvedPort(get["port"], in: container) == port, "\(probe) asks BRIDGE_HTTP_PORT \(port)")
        }
        #expect(container["startupProbe"] == nil || (container["startupProbe"] as? [String: Any])?["httpGet"] != nil)
    }

    @Test func theMetricsServiceAndServiceMonitorReachThePort() throws {
        let manifests = try KubernetesManifests.load()
        let container = try manifests.bridgeContainer()
        let port = try #require(Self.setting("BRIDGE_HTTP_PORT", in: try manifests.environment(of: container)).flatMap { Int($0) })
        let podLabels = KubernetesManifests.labels(of: try KubernetesManifests.value(try manifests.single("Deployment"), at: ["spec", "template"]))
        let service = try manifests.single("Service")
        let serviceSpec = try KubernetesManifests.value(service, at: ["spec"])
        let selector = (serviceSpec["selector"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
        #expect(!selector.isEmpty && selector.allSatisfy { podLabels[$0.key] == $0.value }, "the Service selects the pods")
        let servicePorts = serviceSpec["ports"] as? [[String: Any]] ?? []
        #expect(servicePorts.contains { KubernetesManifests.resolvedPort($0["targetPort"], in: container) == port })
        #expect(serviceSpec["publishNotReadyAddresses"] as? Bool == true, "metrics of not-ready pods (a circuit open) are scraped too")

        let monitor = try KubernetesManifests.value(try manifests.single("ServiceMonitor"), at: ["spec"])
        let monitorSelector = try KubernetesManifests.value(monitor, at: ["selector", "matchLabels"]).mapValues { "\($0)" }
        let serviceLabels = KubernetesManifests.labels(of: service)
        #expect(!monitorSelector.isEmpty && monitorSelector.allSatisfy { serviceLabels[$0.key] == $0.value }, "the ServiceMonitor selects the Service")
        let endpoints = monitor["endpoints"] as? [[String: Any]] ?? []
        let portNames = Set(servicePorts.compactMap { $0["name"] as? String })
        #expect(!endpoints.isEmpty)
        for endpoint in endpoints {
            #expect((endpoint["port"] as? String).map(portNames.contains) == true, "endpoint port names a Service port")
            #expect(endpoint["path"] as? String ?? "/metrics" == "/metrics")
        }
    }

    @Test func thePodRunsAsTheImagesUserWithAReadOnlyRoot() async throws {
        let manifests = try KubernetesManifests.load()
        let pod = try manifests.podSpec()
        let container = try manifests.bridgeContainer()
        let podContext = pod["securityContext"] as? [String: Any] ?? [:]
        let containerContext = container["securityContext"] as? [String: Any] ?? [:]
        let runAsUser = containerContext["runAsUser"] ?? podContext["runAsUser"]
        let imageUser = try #require(try await DockerfileModel.load().stages.last?.arguments(of: "USER").last)
        let imageUID = try #require(Int(imageUser.split(separator: ":").first ?? ""))
        #expect(imageUID == 10001)
        #expect(runAsUser as? Int == imageUID, "runs as the image's uid \(imageUID)")
        #expect((containerContext["runAsNonRoot"] ?? podContext["runAsNonRoot"]) as? Bool == true)
        #expect(podContext["fsGroup"] as? Int == imageUID, "the mounted secrets are readable by that user")
        #expect(containerContext["readOnlyRootFilesystem"] as? Bool == true)
        #expect(containerContext["allowPrivilegeEscalation"] as? Bool == false)
    }

    @Test func aStopFitsTheTerminationGracePeriod() throws {
        let manifests = try KubernetesManifests.load()
        let environment = try manifests.environment(of: try manifests.bridgeContainer())
        let grace = try #require(Self.setting("BRIDGE_SHUTDOWN_GRACE_S", in: environment).flatMap { Int($0) })
        let period = try #require(try manifests.podSpec()["terminationGracePeriodSeconds"] as? Int)
        // docs/contract.md, "Shutdown": the whole stop takes at most the grace plus 5 s.
        #expect(period > grace + 5, "terminationGracePeriodSeconds \(period) > BRIDGE_SHUTDOWN_GRACE_S \(grace) + 5")
    }

    @Test func resourcesCoverTheMeasuredPeakRSS() throws {
        let manifests = try KubernetesManifests.load()
        let resources = try KubernetesManifests.value(try manifests.bridgeContainer(), at: ["resources"])
        let peak = try #require(try MeasuredFigures.peakRSSMebibytes(), "docs/performance.md's pipeline tables have peak RSS figures")
        let request = try #require(MemoryQuantity.mebibytes((resources["requests"] as? [String: Any])?["memory"]))
        let limit = try #require(MemoryQuantity.mebibytes((resources["limits"] as? [String: Any])?["memory"]))
        #expect(request >= Double(peak), "memory request \(request) MiB covers the measured peak \(peak) MiB")
        #expect(limit >= request)
        #expect((resources["requests"] as? [String: Any])?["cpu"] != nil)
    }

    @Test func kedaScalesOnTheInputTopicsUpToTheirPartitions() async throws {
        let manifests = try KubernetesManifests.load()
        let environment = try manifests.environment(of: try manifests.bridgeContainer())
        let spec = try KubernetesManifests.value(try manifests.single("ScaledObject"), at: ["spec"])
        let target = try KubernetesManifests.value(spec, at: ["scaleTargetRef"])
        #expect(target["name"] as? String == KubernetesManifests.name(of: try manifests.single("Deployment")))

        let inputTopics = Set(["BRIDGE_CUSTOMER_TOPICS", "BRIDGE_ENTITY_TOPICS"].flatMap { name in
            (Self.setting(name, in: environment) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }.filter { !$0.isEmpty })
        let triggers = spec["triggers"] as? [[String: Any]] ?? []
        var triggerTopics: Set<String> = []
        for trigger in triggers {
            #expect(trigger["type"] as? String == "kafka")
            let metadata = (trigger["metadata"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
            #expect(metadata["consumerGroup"] == Self.setting("BRIDGE_GROUP_ID", in: environment), "the bridge's group")
            #expect(metadata["bootstrapServers"] == Self.setting("KAFKA_BOOTSTRAP_SERVERS", in: environment))
            #expect(metadata["lagThreshold"].flatMap { Int($0) }.map { $0 > 0 } == true)
            if let topic = metadata["topic"] { triggerTopics.insert(topic) }
        }
        #expect(triggerTopics == inputTopics, "one trigger per input topic")

        // The partition counts are the topics as the project creates them (docker/compose.yaml).
        let created = try await ComposeModel.load().createdTopics()
        let partitions = try inputTopics.map { topic in try #require(created[topic], "\(topic) is created with a partition count") }
        let fewest = try #require(partitions.min())
        let maximum = try #require(spec["maxReplicaCount"] as? Int)
        let minimum = spec["minReplicaCount"] as? Int ?? 0
        #expect(maximum <= fewest, "maxReplicaCount \(maximum) ≤ the input topics' \(fewest) partitions")
        #expect(minimum >= 1 && minimum <= maximum)
    }

    @Test func thePodDisruptionBudgetCoversThePods() throws {
        let manifests = try KubernetesManifests.load()
        let podLabels = KubernetesManifests.labels(of: try KubernetesManifests.value(try manifests.single("Deployment"), at: ["spec", "template"]))
        let budget = try KubernetesManifests.value(try manifests.single("PodDisruptionBudget"), at: ["spec"])
        let selector = try KubernetesManifests.value(budget, at: ["selector", "matchLabels"]).mapValues { "\($0)" }
        #expect(!selector.isEmpty && selector.allSatisfy { podLabels[$0.key] == $0.value })
        #expect((budget["maxUnavailable"] ?? budget["minAvailable"]) != nil)
    }
}
