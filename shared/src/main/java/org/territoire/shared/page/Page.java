package org.territoire.shared.page;

import java.util.List;
import java.util.function.Function;

/** One page of a list and the opaque token that fetches the next one (absent on the last page). */
public record Page<T>(List<T> items, String nextToken) {
    public Page {
        items = List.copyOf(items);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextToken);
    }
}
