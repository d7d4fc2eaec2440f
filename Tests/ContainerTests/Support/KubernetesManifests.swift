import Foundation
import Yams

/// deploy/kubernetes read as kustomize would see it: the files its kustomization.yaml lists,
/// each parsed with Yams, with what the tests ask of the Deployment and its neighbours.
struct KubernetesManifests {
    /// The directory of the manifests, relative to the repository.
    static let directory = "deploy/kubernetes"

    /// Every document of every listed resource file, in order.
    let documents: [[String: Any]]
    /// The parsed kustomization.yaml.
    let kustomization: [String: Any]

    /// The repository's manifests.
    static func load() throws -> KubernetesManifests {
        guard let kustomization = try Yams.load(yaml: PackageRoot.text("\(directory)/kustomization.yaml")) as? [String: Any] else {
            throw UnexpectedContentError("kustomization.yaml is not a mapping")
        }
        var documents: [[String: Any]] = []
        for resource in kustomization["resources"] as? [String] ?? [] {
            var parsed = try Yams.load_all(yaml: PackageRoot.text("\(directory)/\(resource)"))
            while let document = parsed.next() {
                guard let mapping = document as? [String: Any] else {
                    throw UnexpectedContentError("\(resource) holds a document that is not a mapping")
                }
                documents.append(mapping)
            }
            // YamlSequence keeps a parse error instead of throwing it.
            if let error = parsed.error { throw error }
        }
        return KubernetesManifests(documents: documents, kustomization: kustomization)
    }

    /// The documents of one kind (`Deployment`, `ConfigMap`…).
    func documents(ofKind kind: String) -> [[String: Any]] {
        documents.filter { $0["kind"] as? String == kind }
    }

    /// The one document of a kind, or an error naming how many there are.
    func single(_ kind: String) throws -> [String: Any] {
        let found = documents(ofKind: kind)
        guard found.count == 1, let document = found.first else {
            throw UnexpectedContentError("expected one \(kind), found \(found.count)")
        }
        return document
    }

    /// The pod template's spec of the Deployment.
    func podSpec() throws -> [String: Any] {
        let deployment = try single("Deployment")
        return try Self.value(deployment, at: ["spec", "template", "spec"])
    }

    /// The bridge's container: the pod's only container.
    func bridgeContainer() throws -> [String: Any] {
        let containers = try podSpec()["containers"] as? [[String: Any]] ?? []
        guard containers.count == 1, let container = containers.first else {
            throw UnexpectedContentError("expected one container, found \(containers.count)")
        }
        return container
    }

    /// The ConfigMap's data by its name.
    func configMapData(named name: String) -> [String: String]? {
        documents(ofKind: "ConfigMap").first { Self.name(of: $0) == name }
            .map { ($0["data"] as? [String: Any] ?? [:]).mapValues { "\($0)" } }
    }

    /// Every environment variable the container gets, with its value where the manifests give
    /// one: its `env` entries and the keys of the ConfigMaps it names in `envFrom`. A ConfigMap
    /// or Secret in `envFrom` that the manifests do not hold is an error.
    func environment(of container: [String: Any]) throws -> [String: String?] {
        var environment: [String: String?] = [:]
        for source in container["envFrom"] as? [[String: Any]] ?? [] {
            let prefix = source["prefix"] as? String ?? ""
            guard let reference = source["configMapRef"] as? [String: Any], let name = reference["name"] as? String,
                let data = configMapData(named: name)
            else { throw UnexpectedContentError("envFrom names no ConfigMap of the manifests: \(source)") }
            for (key, value) in data { environment[prefix + key] = value }
        }
        for entry in container["env"] as? [[String: Any]] ?? [] {
            guard let name = entry["name"] as? String else { throw UnexpectedContentError("env entry without a name") }
            environment[name] = entry["value"].map { "\($0)" }
        }
        return environment
    }

    /// The number a probe's or Service's port means: a number, or the name of a container port.
    static func resolvedPort(_ port: Any?, in container: [String: Any]) -> Int? {
        if let number = port as? Int { return number }
        guard let name = port as? String else { return nil }
        if let number = Int(name) { return number }
        let ports = container["ports"] as? [[String: Any]] ?? []
        return ports.first { $0["name"] as? String == name }?["containerPort"] as? Int
    }

    /// `metadata.name` of a document.
    static func name(of document: [String: Any]) -> String? {
        (document["metadata"] as? [String: Any])?["name"] as? String
    }

    /// `metadata.labels` of a document.
    static func labels(of document: [String: Any]) -> [String: String] {
        ((document["metadata"] as? [String: Any])?["labels"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
    }

    /// The mapping at a path of keys, or an error naming the path.
    static func value(_ document: [String: Any], at path: [String]) throws -> [String: Any] {
        var current = document
        for key in path {
            guard let next = current[key] as? [String: Any] else {
                throw UnexpectedContentError("no mapping at \(path.joined(separator: "."))")
            }
            current = next
        }
        return current
    }
}
