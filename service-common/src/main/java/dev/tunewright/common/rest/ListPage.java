package dev.tunewright.common.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** OpenAI's list envelope ({@code {"object":"list","data":[...],"has_more":false}}), used by every list endpoint. */
public record ListPage<T>(String object, List<T> data, @JsonProperty("has_more") boolean hasMore) {

    public static <T> ListPage<T> of(List<T> data, boolean hasMore) {
        return new ListPage<>("list", List.copyOf(data), hasMore);
    }
}
