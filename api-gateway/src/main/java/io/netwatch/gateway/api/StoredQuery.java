package io.netwatch.gateway.api;

import io.quarkus.panache.common.Parameters;

import java.util.ArrayList;
import java.util.List;

/** A Panache query built from optional filters: only the filters given become conditions. */
final class StoredQuery {
    private final List<String> conditions = new ArrayList<>();
    private final Parameters params = new Parameters();

    StoredQuery where(String condition, String param, Object value) {
        if (value != null) {
            conditions.add(condition);
            params.and(param, value);
        }
        return this;
    }

    StoredQuery where(String condition) {
        conditions.add(condition);
        return this;
    }

    String query() {
        return String.join(" and ", conditions);
    }

    Parameters params() {
        return params;
    }

    boolean isEmpty() {
        return conditions.isEmpty();
    }
}
