package io.netwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.netwatch.records.Topic;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every overlay of k8s/ built as kustomize would, every manifest read strictly against the Kubernetes API types,
 * and the output consistent: selectors select, references resolve, probes and limits are set, the probe
 * DaemonSet can capture on every node, and the Strimzi topics are the ones the services create.
 */
class KubernetesManifestsTest {
    private static final Path ROOT = RepositoryRoot.find();
    private static final List<String> OVERLAYS = List.of("dev", "prod");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");
    private static final Set<String> NETWATCH = Set.of("probe-service", "flow-service", "detection-service",
            "enrichment-service", "api-gateway");

    @TestFactory
    Stream<DynamicTest> everyManifestFitsTheKubernetesApi() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String overlay : OVERLAYS) {
            tests.add(DynamicTest.dynamicTest(overlay, () -> {
                int typed = 0;
                for (ObjectNode m : build(overlay)) {
                    KubernetesResource r = ApiSchema.typed(m);
                    if (r == null) {
                        assertTrue(m.path("apiVersion").asText().startsWith("kafka.strimzi.io/"),
                                "only Strimzi's resources are custom: " + id(m));
                        continue;
                    }
                    typed++;
                    assertEquals(List.of(), ApiSchema.unknownFields(r), id(m) + " has fields the API does not");
                }
                assertTrue(typed >= 20, overlay + ": " + typed + " Kubernetes resources read");
            }));
        }
        return tests.stream();
    }

    @Test
    void aMisspeltFieldIsCaught() throws Exception {
        ObjectNode bad = (ObjectNode) Kustomize.YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x
                          readinesProbe: {httpGet: {path: /, port: 80}}
                """);
        List<String> unknown = ApiSchema.unknownFields(ApiSchema.typed(bad));
        assertEquals(1, unknown.size(), unknown.toString());
        assertTrue(unknown.get(0).contains("readinesProbe"), unknown.toString());
    }

    @TestFactory
    Stream<DynamicTest> selectorsAndReferencesResolve() {
        return OVERLAYS.stream().map(overlay -> DynamicTest.dynamicTest(overlay, () -> {
            List<ObjectNode> all = build(overlay);
            Map<String, ObjectNode> byKindName = new HashMap<>();
            all.forEach(m -> assertTrue(byKindName.put(m.get("kind").asText() + "/" + name(m), m) == null,
                    "one " + id(m)));
            List<ObjectNode> workloads = all.stream().filter(m -> WORKLOADS.contains(m.get("kind").asText())).toList();
            for (ObjectNode w : workloads) {
                JsonNode template = w.path("spec").path("template").path("metadata").path("labels");
                assertTrue(selects(w.path("spec").path("selector").path("matchLabels"), template),
                        id(w) + ": its selector selects its own pods");
                assertEquals("netwatch", w.path("metadata").path("namespace").asText(), id(w));
                if (w.get("kind").asText().equals("StatefulSet")) {
                    assertNotNull(byKindName.get("Service/" + w.path("spec").path("serviceName").asText()),
                            id(w) + ": its serviceName is a Service");
                }
                for (ObjectNode c : Kustomize.containers(w)) {
                    checkReferences(w, c, byKindName, overlay);
                }
                checkVolumes(w, byKindName);
            }
            for (ObjectNode m : all) {
                switch (m.get("kind").asText()) {
                    case "Service" -> {
                        List<ObjectNode> pods = workloads.stream().filter(w -> selects(m.path("spec").path("selector"),
                                w.path("spec").path("template").path("metadata").path("labels"))).toList();
                        assertFalse(pods.isEmpty(), id(m) + " selects no workload");
                        for (JsonNode port : m.path("spec").path("ports")) {
                            String target = port.path("targetPort").asText();
                            assertTrue(pods.stream().anyMatch(w -> Kustomize.containers(w).stream()
                                    .anyMatch(c -> hasPort(c, target))), id(m) + ": targetPort " + target);
                        }
                    }
                    case "PodDisruptionBudget" -> assertTrue(workloads.stream().anyMatch(w -> selects(
                            m.path("spec").path("selector").path("matchLabels"),
                            w.path("spec").path("template").path("metadata").path("labels"))), id(m) + " selects");
                    case "HorizontalPodAutoscaler" -> assertNotNull(byKindName.get(
                            m.path("spec").path("scaleTargetRef").path("kind").asText() + "/"
                                    + m.path("spec").path("scaleTargetRef").path("name").asText()), id(m) + " target");
                    case "Ingress" -> {
                        for (JsonNode rule : m.path("spec").path("rules")) {
                            for (JsonNode p : rule.path("http").path("paths")) {
                                JsonNode svc = p.path("backend").path("service");
                                ObjectNode s = byKindName.get("Service/" + svc.path("name").asText());
                                assertNotNull(s, id(m) + ": backend " + svc);
                                assertTrue(s.toString().contains("\"name\":\"" + svc.path("port").path("name")
                                        .asText() + "\""), id(m) + ": backend port");
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyContainerHasProbesAndLimits() {
        return OVERLAYS.stream().map(overlay -> DynamicTest.dynamicTest(overlay, () -> {
            for (ObjectNode w : build(overlay)) {
                if (!WORKLOADS.contains(w.get("kind").asText())) {
                    continue;
                }
                JsonNode containers = w.path("spec").path("template").path("spec").path("containers");
                for (JsonNode c : containers) {
                    String who = id(w) + "/" + c.path("name").asText();
                    assertTrue(c.has("readinessProbe") && c.has("livenessProbe"), who + ": probes");
                    assertTrue(c.path("resources").path("requests").has("memory")
                            && c.path("resources").path("limits").has("memory"), who + ": memory request and limit");
                    if (NETWATCH.contains(name(w))) {
                        assertEquals("/q/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText(),
                                who);
                        assertEquals("/q/health/live", c.path("livenessProbe").path("httpGet").path("path").asText(),
                                who);
                        assertEquals("/q/metrics", w.path("spec").path("template").path("metadata")
                                .path("annotations").path("prometheus.io/path").asText(), who + ": scraped");
                    }
                }
            }
        }));
    }

    @Test
    void theProbeRunsOnEveryNodeInTheHostNetworkWithCaptureCapabilities() throws Exception {
        for (String overlay : OVERLAYS) {
            ObjectNode ds = build(overlay).stream().filter(m -> m.get("kind").asText().equals("DaemonSet"))
                    .filter(m -> name(m).equals("probe-service")).findFirst().orElseThrow();
            JsonNode pod = ds.path("spec").path("template").path("spec");
            assertTrue(pod.path("hostNetwork").asBoolean(), "host network");
            assertEquals("ClusterFirstWithHostNet", pod.path("dnsPolicy").asText(), "cluster DNS from the host network");
            assertTrue(pod.path("tolerations").toString().contains("\"operator\":\"Exists\""), "tolerates every taint");
            JsonNode probe = pod.path("containers").get(0);
            Set<String> caps = new HashSet<>();
            probe.path("securityContext").path("capabilities").path("add").forEach(c -> caps.add(c.asText()));
            assertEquals(Set.of("NET_RAW", "NET_ADMIN"), caps);
            assertFalse(probe.path("securityContext").path("privileged").asBoolean(false), "not privileged");
            Map<String, String> fieldRefs = new HashMap<>();
            probe.path("env").forEach(e -> fieldRefs.put(e.path("name").asText(),
                    e.path("valueFrom").path("fieldRef").path("fieldPath").asText(null)));
            assertEquals("spec.nodeName", fieldRefs.get("NODE_NAME"), "probe id from the node name");
            assertTrue(probe.toString().contains("http://$(POD_IP):8081"), "announces its API on the node's address");
        }
    }

    @Test
    void prodScalesKafkaAndTheStreamsAndPullsFromItsRegistry() throws Exception {
        List<ObjectNode> prod = build("prod");
        ObjectNode kafka = one(prod, "Kafka", "netwatch");
        assertEquals(3, kafka.path("spec").path("kafka").path("config").path("default.replication.factor").asInt());
        assertEquals(2, kafka.path("spec").path("kafka").path("config").path("min.insync.replicas").asInt());
        assertEquals(3, one(prod, "KafkaNodePool", "combined").path("spec").path("replicas").asInt());
        assertEquals(3, one(prod, "StatefulSet", "flow-service").path("spec").path("replicas").asInt());
        assertEquals("1", one(prod, "ConfigMap", "netwatch-config").path("data")
                .path("NETWATCH_STREAMS_STANDBY_REPLICAS").asText());
        for (ObjectNode w : prod) {
            if (NETWATCH.contains(name(w)) && WORKLOADS.contains(w.get("kind").asText())) {
                assertTrue(Kustomize.containers(w).stream().filter(c -> c.path("image").asText().contains("netwatch/"))
                        .allMatch(c -> c.path("image").asText().startsWith("registry.example.com/")), id(w));
            }
        }
        assertTrue(one(prod, "Ingress", "api-gateway").path("spec").has("tls"));
        assertEquals(1, one(build("dev"), "Deployment", "api-gateway").path("spec").path("replicas").asInt());
    }

    @Test
    void strimziTopicsAreTheCatalogueWithTheConfigTheServicesCreateThemWith() throws Exception {
        List<ObjectNode> base = Kustomize.build(ROOT.resolve("k8s/base"));
        Map<String, ObjectNode> topics = new HashMap<>();
        String cluster = base.stream().filter(m -> m.get("kind").asText().equals("Kafka")).map(KubernetesManifestsTest::name)
                .findFirst().orElseThrow();
        for (ObjectNode m : base) {
            if (m.get("kind").asText().equals("KafkaTopic")) {
                topics.put(m.path("spec").path("topicName").asText(), m);
                assertEquals(cluster, m.path("metadata").path("labels").path("strimzi.io/cluster").asText(), id(m));
            }
            if (m.get("kind").asText().equals("KafkaNodePool")) {
                assertEquals(cluster, m.path("metadata").path("labels").path("strimzi.io/cluster").asText(), id(m));
            }
        }
        for (Topic<?, ?> t : Topics.all()) {
            ObjectNode kt = topics.get(t.name());
            assertNotNull(kt, t.name() + " has a KafkaTopic");
            Map<String, String> config = new HashMap<>();
            kt.path("spec").path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            assertEquals(TopicSetup.configs(t), config, t.name());
            if (t.partitions() > 0) {
                assertEquals(t.partitions(), kt.path("spec").path("partitions").asInt(), t.name());
            } else {
                assertFalse(kt.path("spec").has("partitions"), t.name() + " takes the cluster's partitions");
            }
        }
        Set<String> documented = new HashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/topics.md"))) {
            if (line.startsWith("| `netwatch.")) {
                documented.add(line.substring(3, line.indexOf('`', 3)));
            }
        }
        assertEquals(documented, topics.keySet(), "a KafkaTopic for each topic of docs/topics.md, no other");
    }

    private static void checkReferences(ObjectNode w, ObjectNode c, Map<String, ObjectNode> byKindName,
                                        String overlay) {
        for (JsonNode from : c.path("envFrom")) {
            assertNotNull(byKindName.get("ConfigMap/" + from.path("configMapRef").path("name").asText()),
                    id(w) + ": envFrom " + from);
        }
        for (JsonNode e : c.path("env")) {
            JsonNode cm = e.path("valueFrom").path("configMapKeyRef");
            if (!cm.isMissingNode()) {
                ObjectNode map = byKindName.get("ConfigMap/" + cm.path("name").asText());
                assertNotNull(map, id(w) + ": " + e);
                assertTrue(map.path("data").has(cm.path("key").asText()), id(w) + ": key " + cm);
            }
            JsonNode sk = e.path("valueFrom").path("secretKeyRef");
            if (!sk.isMissingNode()) {
                String secret = sk.path("name").asText();
                String key = sk.path("key").asText();
                ObjectNode s = byKindName.get("Secret/" + secret);
                if (overlay.equals("dev")) {
                    assertNotNull(s, id(w) + ": the dev overlay generates " + secret);
                    assertTrue(s.path("data").has(key), id(w) + ": " + secret + " has " + key);
                } else {
                    assertTrue(readme().contains(key), "k8s/README.md says how to create " + secret + " with " + key);
                }
            }
        }
    }

    private static void checkVolumes(ObjectNode w, Map<String, ObjectNode> byKindName) {
        Set<String> volumes = new HashSet<>();
        JsonNode pod = w.path("spec").path("template").path("spec");
        for (JsonNode v : pod.path("volumes")) {
            volumes.add(v.path("name").asText());
            if (v.has("configMap")) {
                assertNotNull(byKindName.get("ConfigMap/" + v.path("configMap").path("name").asText()), id(w) + ": " + v);
            }
        }
        w.path("spec").path("volumeClaimTemplates").forEach(t -> volumes.add(t.path("metadata").path("name").asText()));
        for (ObjectNode c : Kustomize.containers(w)) {
            for (JsonNode m : c.path("volumeMounts")) {
                assertTrue(volumes.contains(m.path("name").asText()), id(w) + ": mount " + m);
            }
        }
    }

    private static boolean hasPort(ObjectNode container, String target) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(target) || p.path("containerPort").asText().equals(target)) {
                return true;
            }
        }
        return false;
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (var it = selector.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode one(List<ObjectNode> all, String kind, String name) {
        return all.stream().filter(m -> m.get("kind").asText().equals(kind) && name(m).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }

    private static List<ObjectNode> build(String overlay) throws Exception {
        return Kustomize.build(ROOT.resolve("k8s/overlays/" + overlay));
    }

    private static String readme() {
        try {
            return Files.readString(ROOT.resolve("k8s/README.md"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String name(JsonNode m) {
        return m.path("metadata").path("name").asText();
    }

    private static String id(JsonNode m) {
        return m.path("kind").asText() + "/" + name(m);
    }
}
