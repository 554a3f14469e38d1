package io.netwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every provisioned dashboard parses, queries the provisioned data source, and every Flux query names a
 * measurement, fields and tags that docs/influxdb.md lists, the table the InfluxDB sink's points are checked
 * against (api-gateway's TrafficPointsTest): a renamed field fails here instead of leaving an empty panel.
 */
class GrafanaDashboardsTest {
    private static final Path ROOT = RepositoryRoot.find();
    private static final Pattern MEASUREMENT = Pattern.compile("r\\._measurement == \"([a-z_]+)\"");
    private static final Pattern FIELD = Pattern.compile("r\\._field == \"([a-z_]+)\"");
    private static final Pattern TAG = Pattern.compile("\\br\\.([a-z][a-z_]*)\\b");
    private static final Pattern GROUP = Pattern.compile("(?:group\\(columns|rowKey): \\[([^]]*)]");

    /** One Flux query of one panel. */
    record Query(String dashboard, String panel, String flux) {
    }

    @TestFactory
    Stream<DynamicTest> everyQueryNamesWhatTheSinkWrites() throws Exception {
        Map<String, MeasurementTable.Measurement> table = MeasurementTable.ofRepository();
        List<Query> queries = queries();
        assertTrue(queries.size() >= 15, queries.size() + " queries");
        return queries.stream().map(q -> DynamicTest.dynamicTest(q.dashboard() + ": " + q.panel(), () -> {
            Set<String> measurements = all(MEASUREMENT, q.flux());
            assertFalse(measurements.isEmpty(), "names a measurement");
            Set<String> tags = new HashSet<>();
            Set<String> fields = new HashSet<>();
            for (String m : measurements) {
                assertTrue(table.containsKey(m), m + " is a measurement of docs/influxdb.md");
                tags.addAll(table.get(m).tags());
                fields.addAll(table.get(m).fields());
            }
            for (String f : all(FIELD, q.flux())) {
                assertTrue(fields.contains(f), f + " is a field of " + measurements);
            }
            for (String t : all(TAG, q.flux())) {
                assertTrue(tags.contains(t), t + " is a tag of " + measurements);
            }
            Matcher g = GROUP.matcher(q.flux());
            while (g.find()) {
                for (String column : g.group(1).split(",")) {
                    String c = column.trim().replace("\"", "");
                    assertTrue(c.isEmpty() || c.startsWith("_") || tags.contains(c) || fields.contains(c),
                            c + " (grouped or pivoted by) is a tag or field of " + measurements);
                }
            }
        }));
    }

    @Test
    void theDashboardsCoverWhatOperatorsLookFor() throws Exception {
        Set<String> titles = new HashSet<>();
        Set<String> types = new HashSet<>();
        for (Path d : dashboards()) {
            for (JsonNode p : new ObjectMapper().readTree(d.toFile()).path("panels")) {
                titles.add(p.path("title").asText());
                types.add(p.path("type").asText());
            }
        }
        assertTrue(titles.containsAll(List.of("Bandwidth", "Protocol distribution", "Top source IPs",
                "Top destination IPs", "Suspicious IPs", "Alerts by severity", "Alerts by rule", "Traffic map",
                "Probe status")), titles.toString());
        assertTrue(types.contains("geomap"), "a Geomap panel");
    }

    @Test
    void panelsUseTheProvisionedDataSourceAndEveryDashboardIsProvisioned() throws Exception {
        JsonNode ds = Kustomize.YAML.readTree(ROOT.resolve("grafana/provisioning/datasources/influxdb.yaml").toFile())
                .path("datasources").get(0);
        assertEquals("Flux", ds.path("jsonData").path("version").asText());
        String uid = ds.path("uid").asText();
        Set<String> uids = new HashSet<>();
        for (Path d : dashboards()) {
            JsonNode dash = new ObjectMapper().readTree(d.toFile());
            assertTrue(uids.add(dash.path("uid").asText()), "dashboard uids are unique");
            for (JsonNode p : dash.path("panels")) {
                assertEquals(uid, p.path("datasource").path("uid").asText(), d + ": " + p.path("title"));
            }
        }
        String k8s = Files.readString(ROOT.resolve("grafana/kustomization.yaml"));
        for (Path d : dashboards()) {
            assertTrue(k8s.contains("dashboards/" + d.getFileName()), d + " is in the Kubernetes ConfigMap too");
        }
    }

    private static List<Path> dashboards() throws Exception {
        try (Stream<Path> s = Files.list(ROOT.resolve("grafana/dashboards"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static List<Query> queries() throws Exception {
        List<Query> out = new ArrayList<>();
        for (Path d : dashboards()) {
            JsonNode dash = new ObjectMapper().readTree(d.toFile());
            for (JsonNode p : dash.path("panels")) {
                for (JsonNode t : p.path("targets")) {
                    out.add(new Query(d.getFileName().toString(), p.path("title").asText(), t.path("query").asText()));
                }
            }
        }
        return out;
    }

    private static Set<String> all(Pattern p, String s) {
        Set<String> out = new HashSet<>();
        Matcher m = p.matcher(s);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
