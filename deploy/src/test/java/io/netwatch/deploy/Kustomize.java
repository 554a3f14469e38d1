package io.netwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of kustomize the netwatch overlays use, to build them as {@code kubectl apply -k} would: resources
 * (files and folders), namespace, labels (metadata only), ConfigMap and Secret generators (without name hashes),
 * strategic-merge patches, replicas and images. Anything else in a kustomization.yaml fails the build, so the
 * checks never pass on output this renderer got wrong.
 */
final class Kustomize {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KNOWN = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
            "configMapGenerator", "secretGenerator", "generatorOptions", "patches", "replicas", "images");
    private static final Set<String> SCALABLE = Set.of("Deployment", "StatefulSet", "ReplicaSet",
            "ReplicationController");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass");

    private Kustomize() {
    }

    static List<ObjectNode> build(Path dir) throws IOException {
        ObjectNode k = (ObjectNode) YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!KNOWN.contains(f)) {
                throw new IllegalStateException(dir + "/kustomization.yaml: '" + f + "' is not supported by the "
                        + "test's renderer; extend Kustomize before using it");
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(build(p));
            } else {
                out.addAll(documents(p));
            }
        }
        boolean noHash = k.path("generatorOptions").path("disableNameSuffixHash").asBoolean(false);
        for (JsonNode g : k.path("configMapGenerator")) {
            out.add(generated(dir, g, "ConfigMap", noHash));
        }
        for (JsonNode g : k.path("secretGenerator")) {
            out.add(generated(dir, g, "Secret", noHash));
        }
        for (JsonNode p : k.path("patches")) {
            if (!p.has("path") || p.size() != 1) {
                throw new IllegalStateException(dir + ": only patches with a path (strategic merge) are supported");
            }
            for (ObjectNode patch : documents(dir.resolve(p.get("path").asText()))) {
                merge(find(out, patch.path("kind").asText(), patch.path("metadata").path("name").asText(), dir),
                        patch);
            }
        }
        for (JsonNode r : k.path("replicas")) {
            List<ObjectNode> scalable = out.stream().filter(m -> SCALABLE.contains(m.path("kind").asText())).toList();
            ObjectNode target = find(scalable, null, r.get("name").asText(), dir);
            ((ObjectNode) target.get("spec")).put("replicas", r.get("count").asInt());
        }
        for (JsonNode i : k.path("images")) {
            int changed = 0;
            for (ObjectNode res : out) {
                for (ObjectNode c : containers(res)) {
                    String image = c.path("image").asText();
                    String name = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
                    if (name.equals(i.get("name").asText())) {
                        String tag = i.has("newTag") ? i.get("newTag").asText()
                                : image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "latest";
                        c.put("image", i.path("newName").asText(name) + ":" + tag);
                        changed++;
                    }
                }
            }
            if (changed == 0) {
                throw new IllegalStateException(dir + ": images entry " + i + " matches no container");
            }
        }
        for (JsonNode l : k.path("labels")) {
            if (l.path("includeSelectors").asBoolean(false) || l.path("includeTemplates").asBoolean(false)) {
                throw new IllegalStateException(dir + ": labels with selectors or templates are not supported");
            }
            for (ObjectNode res : out) {
                ObjectNode labels = ((ObjectNode) res.get("metadata")).with("labels");
                l.get("pairs").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
            }
        }
        if (k.has("namespace")) {
            for (ObjectNode res : out) {
                if (!CLUSTER_SCOPED.contains(res.path("kind").asText())) {
                    ((ObjectNode) res.get("metadata")).put("namespace", k.get("namespace").asText());
                }
            }
        }
        return out;
    }

    /** Every container and init container of a workload's pod template (or of a Pod). */
    static List<ObjectNode> containers(ObjectNode res) {
        JsonNode pod = res.path("kind").asText().equals("Pod") ? res.path("spec")
                : res.path("spec").path("template").path("spec");
        List<ObjectNode> out = new ArrayList<>();
        for (String f : List.of("initContainers", "containers")) {
            pod.path(f).forEach(c -> out.add((ObjectNode) c));
        }
        return out;
    }

    static List<ObjectNode> documents(Path file) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            for (Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode n = it.next();
                if (n != null && n.isObject() && !n.isEmpty()) {
                    out.add((ObjectNode) n);
                }
            }
        }
        return out;
    }

    private static ObjectNode generated(Path dir, JsonNode g, String kind, boolean noHash) throws IOException {
        if (!noHash && !g.path("options").path("disableNameSuffixHash").asBoolean(false)) {
            throw new IllegalStateException(dir + ": generator " + g.path("name").asText() + " needs "
                    + "disableNameSuffixHash for the test's renderer");
        }
        ObjectNode res = YAML.createObjectNode();
        res.put("apiVersion", "v1").put("kind", kind);
        res.putObject("metadata").put("name", g.get("name").asText());
        ObjectNode data = res.putObject("data");
        for (JsonNode f : g.path("files")) {
            String spec = f.asText();
            String key = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : Path.of(spec).getFileName()
                    .toString();
            Path file = dir.resolve(spec.contains("=") ? spec.substring(spec.indexOf('=') + 1) : spec);
            put(data, kind, key, Files.readString(file));
        }
        for (JsonNode l : g.path("literals")) {
            String s = l.asText();
            put(data, kind, s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        return res;
    }

    private static void put(ObjectNode data, String kind, String key, String value) {
        data.put(key, kind.equals("Secret")
                ? Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) : value);
    }

    private static ObjectNode find(List<ObjectNode> resources, String kind, String name, Path dir) {
        List<ObjectNode> hits = resources.stream()
                .filter(r -> (kind == null || r.path("kind").asText().equals(kind))
                        && r.path("metadata").path("name").asText().equals(name))
                .toList();
        if (hits.size() != 1) {
            throw new IllegalStateException(dir + ": " + hits.size() + " resources are " + (kind == null ? "" : kind
                    + " ") + name + ", a patch or replicas entry needs exactly one");
        }
        return hits.get(0);
    }

    /** A strategic merge: maps merge, lists of named items (containers, env, ports, volumes) merge by name. */
    static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = target.get(e.getKey());
            JsonNode value = e.getValue();
            if (old instanceof ObjectNode o && value instanceof ObjectNode v) {
                merge(o, v);
            } else if (old instanceof ArrayNode o && value instanceof ArrayNode v && named(o) && named(v)) {
                for (JsonNode item : v) {
                    ObjectNode same = null;
                    for (JsonNode existing : o) {
                        if (existing.get("name").equals(item.get("name"))) {
                            same = (ObjectNode) existing;
                        }
                    }
                    if (same != null) {
                        merge(same, (ObjectNode) item);
                    } else {
                        o.add(item);
                    }
                }
            } else {
                target.set(e.getKey(), value.deepCopy());
            }
        }
    }

    private static boolean named(ArrayNode a) {
        if (a.isEmpty()) {
            return false;
        }
        for (JsonNode n : a) {
            if (!n.isObject() || !n.has("name")) {
                return false;
            }
        }
        return true;
    }
}
