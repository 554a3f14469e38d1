package io.netwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml read as Compose reads it: every address a service is given names a service of the file (or
 * the host, for services in the host network), no two services take one host port, start order waits for
 * health checks that exist, every variable is documented in .env.example (and nothing there is unused), and
 * every image built from this repository builds a module that exists.
 */
class DockerComposeTest {
    private static final Path ROOT = RepositoryRoot.find();
    /** host:port in a URL or a bare host:port value */
    private static final Pattern ADDRESS = Pattern.compile("(?:^|//|,)([a-z][a-z0-9.-]*):(\\d+|\\$\\{[^}]+})");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?[-?]([^}]*))?}");
    private static JsonNode compose;
    private static JsonNode services;
    private static Map<String, String> env;

    @BeforeAll
    static void read() throws Exception {
        compose = Kustomize.YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        services = compose.get("services");
        env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
    }

    @Test
    void everyVariableIsDocumentedInEnvExampleAndNothingElseIsThere() throws Exception {
        Set<String> used = new TreeSet<>();
        Matcher m = VARIABLE.matcher(Files.readString(ROOT.resolve("docker-compose.yml")));
        while (m.find()) {
            used.add(m.group(1));
        }
        assertEquals(used, new TreeSet<>(env.keySet()), ".env.example documents exactly the variables compose reads");
    }

    @Test
    void everyAddressNamesAServiceOrTheHost() {
        Set<String> names = new HashSet<>();
        services.fieldNames().forEachRemaining(names::add);
        for (var it = services.fields(); it.hasNext(); ) {
            var s = it.next();
            boolean hostNetwork = "host".equals(s.getValue().path("network_mode").asText());
            Set<String> extraHosts = new HashSet<>();
            s.getValue().path("extra_hosts").forEach(h -> extraHosts.add(h.asText().split(":")[0]));
            for (var e = s.getValue().path("environment").fields(); e.hasNext(); ) {
                var var = e.next();
                Matcher a = ADDRESS.matcher(var.getValue().asText());
                while (a.find()) {
                    String host = a.group(1);
                    boolean local = host.equals("127.0.0.1") || host.equals("localhost");
                    boolean ok = hostNetwork ? local : names.contains(host) || extraHosts.contains(host)
                            || local && s.getKey().equals("kafka");
                    if (var.getKey().equals("NETWATCH_PROBE_API_URL")) {
                        // not for the probe itself: the URL it announces, which the gateway fetches PCAPs from
                        ok = services.get("api-gateway").path("extra_hosts").toString().contains(host + ":");
                    }
                    assertTrue(ok, s.getKey() + ": " + var.getKey() + " names '" + host + "', which "
                            + (hostNetwork ? "a service in the host network cannot resolve" : "is not a service"));
                }
            }
            for (var d = s.getValue().path("depends_on").fields(); d.hasNext(); ) {
                var dep = d.next();
                assertTrue(names.contains(dep.getKey()), s.getKey() + " depends on " + dep.getKey());
                if ("service_healthy".equals(dep.getValue().path("condition").asText())) {
                    assertTrue(services.get(dep.getKey()).has("healthcheck"),
                            s.getKey() + " waits for " + dep.getKey() + " to be healthy: it needs a health check");
                }
            }
        }
    }

    @Test
    void noTwoServicesTakeOneHostPort() {
        Map<String, String> taken = new HashMap<>();
        for (var it = services.fields(); it.hasNext(); ) {
            var s = it.next();
            for (JsonNode p : s.getValue().path("ports")) {
                String[] parts = resolve(p.asText()).split(":");
                String port = parts[parts.length - 2];
                String previous = taken.put(port, s.getKey());
                assertTrue(previous == null, "host port " + port + ": " + previous + " and " + s.getKey());
            }
            if ("host".equals(s.getValue().path("network_mode").asText())) {
                // a service in the host network takes its listening ports on the host itself
                String http = resolve(s.getValue().path("environment").path("NETWATCH_PROBE_HTTP_PORT").asText());
                String previous = taken.put(http, s.getKey());
                assertTrue(previous == null, "host port " + http + ": " + previous + " and " + s.getKey());
            }
        }
        assertTrue(taken.size() >= 5, "published: " + taken);
    }

    @Test
    void everyServiceHasAHealthCheckAndTheImagesBuildModulesOfThisRepository() {
        Set<String> netwatch = new HashSet<>();
        for (var it = services.fields(); it.hasNext(); ) {
            var s = it.next();
            assertTrue(s.getValue().has("healthcheck"), s.getKey() + " has a health check");
            JsonNode build = s.getValue().path("build");
            if (!build.isMissingNode()) {
                String module = build.path("args").path("SERVICE").asText();
                assertTrue(Files.isRegularFile(ROOT.resolve(build.path("context").asText()).resolve("Dockerfile")));
                assertTrue(Files.isRegularFile(ROOT.resolve(module).resolve("pom.xml")), s.getKey() + " builds "
                        + module);
                assertEquals(s.getKey(), module, "the compose service is named after its module");
                netwatch.add(module);
            }
        }
        assertEquals(Set.of("probe-service", "flow-service", "detection-service", "enrichment-service",
                "api-gateway"), netwatch);
    }

    @Test
    void theProbeCapturesOnTheHostAndTheGatewayReachesItsApi() {
        JsonNode probe = services.get("probe-service");
        assertEquals("host", probe.path("network_mode").asText());
        Set<String> caps = new HashSet<>();
        probe.path("cap_add").forEach(c -> caps.add(c.asText()));
        assertEquals(Set.of("NET_RAW", "NET_ADMIN"), caps);
        assertFalse(probe.path("privileged").asBoolean(false));
        assertTrue(probe.path("build").path("args").path("PACKAGES").asText().contains("libpcap0.8"));
        String api = probe.path("environment").path("NETWATCH_PROBE_API_URL").asText();
        assertTrue(api.startsWith("http://host.docker.internal:"), api);
        assertTrue(services.get("api-gateway").path("extra_hosts").toString().contains("host.docker.internal"));
    }

    @Test
    void namedVolumesAreDeclaredAndMountedFoldersExist() {
        Set<String> declared = new HashSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(declared::add);
        for (var it = services.fields(); it.hasNext(); ) {
            var s = it.next();
            for (JsonNode v : s.getValue().path("volumes")) {
                String source = resolve(v.asText()).split(":")[0];
                if (source.startsWith("./")) {
                    if (!source.startsWith("./.netwatch")) { // made by ./netwatch up, or the user's own folder
                        assertTrue(Files.exists(ROOT.resolve(source)), s.getKey() + " mounts " + source);
                    }
                } else {
                    assertTrue(declared.contains(source), s.getKey() + ": volume " + source + " is declared");
                }
            }
        }
    }

    /** A value with its variables replaced by their .env.example values (else their defaults). */
    private static String resolve(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.getOrDefault(m.group(1), m.group(2) == null ? "" : m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Test
    void theExampleValuesAreFilledForEveryRequiredVariable() {
        for (String required : List.of("POSTGRES_PASSWORD", "INFLUXDB_PASSWORD", "INFLUXDB_TOKEN",
                "GRAFANA_ADMIN_PASSWORD", "NETWATCH_GATEWAY_AUTH_TOKENS")) {
            assertFalse(env.get(required).isBlank(), required);
        }
        assertTrue(env.get("INFLUXDB_PASSWORD").length() >= 8, "InfluxDB's setup refuses shorter passwords");
    }
}
