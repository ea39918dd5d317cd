package org.contactbatch.constantcontact.client;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One error as Constant Contact reports it. Most errors come as an array of
 * {@code {"error_key","error_message"}}, rate-limit and authorization errors as a single object, and
 * some bulk-activity errors as {@code {"message"}} or a plain string: all are read the same way.
 */
public record ApiError(String key, String message) {

    public static List<ApiError> parse(String body) {
        List<ApiError> errors = new ArrayList<>();
        if (body == null || body.isBlank()) {
            return errors;
        }
        JsonNode json;
        try {
            json = JsonMapper.shared().readTree(body);
        }
        catch (RuntimeException notJson) {
            errors.add(new ApiError(null, body.length() > 300 ? body.substring(0, 300) + "…" : body.strip()));
            return errors;
        }
        if (json != null && json.isArray()) {
            for (JsonNode element : json) {
                errors.add(of(element));
            }
        }
        else if (json != null) {
            errors.add(of(json));
        }
        return errors;
    }

    public static ApiError of(JsonNode node) {
        if (node == null || node.isNull()) {
            return new ApiError(null, "");
        }
        if (node.isString()) {
            return new ApiError(null, node.asString());
        }
        String key = text(node, "error_key", "error", "key");
        String message = text(node, "error_message", "error_description", "message");
        return new ApiError(key, message == null ? node.toString() : message);
    }

    private static String text(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull()) {
                return value.isValueNode() ? value.asString() : value.toString();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return key == null ? message : key + ": " + message;
    }
}
