package io.netwatch.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads a manifest into fabric8's Kubernetes API types, which are generated from the API's OpenAPI schema, and
 * reports every field the schema does not have (a misspelt {@code readinesProbe}, a field at the wrong level): the
 * types keep such fields aside as "additional properties" instead of failing, so this walks them all.
 */
final class ApiSchema {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ApiSchema() {
    }

    /** The typed resource, or null for a kind the Kubernetes API does not define (a custom resource). */
    static KubernetesResource typed(ObjectNode manifest) throws Exception {
        KubernetesResource r = JSON.treeToValue(manifest, KubernetesResource.class);
        return r instanceof GenericKubernetesResource ? null : r;
    }

    /** The paths of fields the schema does not know, empty when the manifest fits it. */
    static List<String> unknownFields(KubernetesResource r) throws Exception {
        List<String> out = new ArrayList<>();
        walk(r, r.getClass().getSimpleName(), out);
        return out;
    }

    private static void walk(Object o, String path, List<String> out) throws Exception {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), out);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers())
                    || !g.getName().startsWith("get") || g.getName().equals("getClass")) {
                continue;
            }
            Object v = g.invoke(o);
            if (g.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": unknown " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4);
            walk(v, path + "." + field, out);
        }
    }
}
