package io.netwatch.gateway.api;

import java.util.List;

/** One page of a listing, with the total that matched so a client can page on. */
public record PageOf<T>(List<T> items, int page, int size, long total) {
}
