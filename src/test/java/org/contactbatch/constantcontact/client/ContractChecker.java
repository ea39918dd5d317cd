package org.contactbatch.constantcontact.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a request against an OpenAPI 3 contract: the operation exists, its query parameters are known and
 * valid, required ones are there, and the JSON body fits the schema (types, required properties, lengths,
 * item counts, enums, ranges, uuids), following {@code $ref}s. A small checker of our own because the
 * validator library in the build (com.atlassian.oai 3.0.0) is compiled for Java 21 and this project runs on 17.
 */
final class ContractChecker {

    private static final Pattern UUID = Pattern.compile("^[0-9a-fA-F-]{36}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final Map<String, Object> spec;
    private final String basePath;

    ContractChecker(Path file, String basePath) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(20 * 1024 * 1024);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            DumperOptions dumper = new DumperOptions();
            this.spec = map(new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options,
                    new Yaml12Booleans()).load(reader));
        }
        this.basePath = basePath;
    }

    /** What is wrong with the request; empty when it keeps to the contract. */
    List<String> check(String method, String path, Map<String, String> query, String contentType, String body) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> pathItem = pathItem(path);
        Map<String, Object> operation = operation(method, path, pathItem, problems);
        if (operation == null) {
            return problems;
        }
        Map<String, Map<String, Object>> parameters = new LinkedHashMap<>();
        for (Object p : list(pathItem.get("parameters"))) {
            Map<String, Object> parameter = resolve(map(p));
            parameters.put(parameter.get("in") + ":" + parameter.get("name"), parameter);
        }
        for (Object p : list(operation.get("parameters"))) {
            Map<String, Object> parameter = resolve(map(p));
            parameters.put(parameter.get("in") + ":" + parameter.get("name"), parameter);
        }
        for (Map.Entry<String, String> param : query.entrySet()) {
            Map<String, Object> definition = parameters.get("query:" + param.getKey());
            if (definition == null) {
                problems.add("query parameter " + param.getKey() + " is not in the contract");
                continue;
            }
            Map<String, Object> schema = resolve(map(definition.get("schema")));
            List<String> values = "csv".equals(schema.get("format")) ? List.of(param.getValue().split(","))
                    : List.of(param.getValue());
            for (String value : values) {
                checkScalar("query " + param.getKey(), schema, value, problems);
            }
        }
        for (Map<String, Object> definition : parameters.values()) {
            if ("query".equals(definition.get("in")) && Boolean.TRUE.equals(definition.get("required"))
                    && !query.containsKey(String.valueOf(definition.get("name")))) {
                problems.add("required query parameter " + definition.get("name") + " is missing");
            }
        }
        Map<String, Object> requestBody = resolve(map(operation.get("requestBody")));
        if (!requestBody.isEmpty()) {
            Map<String, Object> content = map(requestBody.get("content"));
            String type = contentType == null ? "" : contentType.split(";")[0].trim();
            if (!content.containsKey(type)) {
                problems.add("content type '" + type + "' is not one of " + content.keySet());
            }
            else if (body == null || body.isEmpty()) {
                if (Boolean.TRUE.equals(requestBody.get("required"))) {
                    problems.add("the body is required");
                }
            }
            else {
                JsonNode json = JsonMapper.shared().readTree(body);
                checkNode("body", resolve(map(map(content.get(type)).get("schema"))), json, problems);
            }
        }
        else if (body != null && !body.isEmpty()) {
            problems.add("the operation takes no body");
        }
        return problems;
    }

    /**
     * What is wrong with an answer: a status the operation does not declare (but the ones any request may get:
     * 401, 429, 5xx), or a body that does not keep to the declared schema (required properties, types, lengths,
     * enums, formats). Error answers whose schema the contract leaves empty are not checked further.
     */
    List<String> checkResponse(String method, String path, int status, String body) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> operation = operation(method, path, pathItem(path), problems);
        if (operation == null) {
            return problems;
        }
        Map<String, Object> responses = map(operation.get("responses"));
        Map<String, Object> response = resolve(map(responses.get(String.valueOf(status))));
        if (!responses.containsKey(String.valueOf(status))) {
            if (status != 401 && status != 429 && status < 500) {
                problems.add("status " + status + " is not an answer of " + method + " " + path + " (" + responses.keySet() + ")");
            }
            return problems;
        }
        Map<String, Object> schema = resolve(map(map(map(response.get("content")).get("application/json")).get("schema")));
        if (!schema.isEmpty()) {
            if (body == null || body.isBlank()) {
                problems.add("status " + status + " has no body; the contract gives it one");
            }
            else {
                checkNode("response", schema, JsonMapper.shared().readTree(body), problems);
            }
        }
        return problems;
    }

    /** The contract's path item for a request path (a fixed path wins over a template), or null. */
    private Map<String, Object> pathItem(String path) {
        String relative = path.startsWith(basePath) ? path.substring(basePath.length()) : path;
        Map<String, Object> pathItem = null;
        for (Map.Entry<String, Object> entry : map(spec.get("paths")).entrySet()) {
            String regex = "^" + entry.getKey().replaceAll("\\{[^}]+}", "[^/]+") + "$";
            if (relative.matches(regex) && (pathItem == null || !entry.getKey().contains("{"))) {
                pathItem = map(entry.getValue());
            }
        }
        return pathItem;
    }

    private Map<String, Object> operation(String method, String path, Map<String, Object> pathItem, List<String> problems) {
        String relative = path.startsWith(basePath) ? path.substring(basePath.length()) : path;
        if (pathItem == null) {
            problems.add("no path " + relative + " in the contract");
            return null;
        }
        Map<String, Object> operation = map(pathItem.get(method.toLowerCase(Locale.ROOT)));
        if (operation.isEmpty()) {
            problems.add("no operation " + method + " " + relative);
            return null;
        }
        return operation;
    }

    private void checkNode(String where, Map<String, Object> schema, JsonNode node, List<String> problems) {
        schema = resolve(schema);
        String type = (String) schema.get("type");
        if (type == null && schema.containsKey("properties")) {
            type = "object";
        }
        if (type == null) {
            return;
        }
        switch (type) {
            case "object" -> {
                if (!node.isObject()) {
                    problems.add(where + " must be an object");
                    return;
                }
                for (Object required : list(schema.get("required"))) {
                    if (!node.has(String.valueOf(required))) {
                        problems.add(where + "." + required + " is required");
                    }
                }
                Map<String, Object> properties = map(schema.get("properties"));
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    Object propertySchema = properties.get(property.getKey());
                    if (propertySchema == null && property.getKey().startsWith("cf:")) {
                        propertySchema = properties.get("cf:custom_field_name"); // the contract's stand-in for any cf: key
                    }
                    if (propertySchema != null) {
                        checkNode(where + "." + property.getKey(), map(propertySchema), property.getValue(), problems);
                    }
                    else if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
                        problems.add(where + "." + property.getKey() + " is not allowed");
                    }
                }
            }
            case "array" -> {
                if (!node.isArray()) {
                    problems.add(where + " must be an array");
                    return;
                }
                checkRange(where + " items", schema.get("minItems"), schema.get("maxItems"), node.size(), problems);
                int i = 0;
                for (JsonNode item : node) {
                    checkNode(where + "[" + i++ + "]", map(schema.get("items")), item, problems);
                }
            }
            case "string" -> {
                if (!node.isString()) {
                    problems.add(where + " must be a string");
                    return;
                }
                checkScalar(where, schema, node.asString(), problems);
            }
            case "integer", "number" -> {
                if (!node.isNumber()) {
                    problems.add(where + " must be a number");
                    return;
                }
                checkRange(where, schema.get("minimum"), schema.get("maximum"), node.asDouble(), problems);
            }
            case "boolean" -> {
                if (!node.isBoolean()) {
                    problems.add(where + " must be true or false");
                }
            }
            default -> {
            }
        }
    }

    private static void checkScalar(String where, Map<String, Object> schema, String value, List<String> problems) {
        String type = String.valueOf(schema.get("type"));
        if (schema.containsKey("enum") && !list(schema.get("enum")).stream().map(String::valueOf).toList().contains(value)) {
            problems.add(where + " '" + value + "' is not one of " + schema.get("enum"));
        }
        if (type.equals("integer")) {
            try {
                checkRange(where, schema.get("minimum"), schema.get("maximum"), Long.parseLong(value), problems);
            }
            catch (NumberFormatException e) {
                problems.add(where + " '" + value + "' is not an integer");
            }
        }
        else if (type.equals("boolean") && !value.equals("true") && !value.equals("false")) {
            problems.add(where + " '" + value + "' is not true or false");
        }
        else if (type.equals("string")) {
            checkRange(where + " length", schema.get("minLength"), schema.get("maxLength"), value.length(), problems);
            if ("uuid".equals(schema.get("format")) && !UUID.matcher(value).matches()) {
                problems.add(where + " '" + value + "' is not a uuid");
            }
            if ("date-time".equals(schema.get("format"))) {
                try {
                    java.time.OffsetDateTime.parse(value);
                }
                catch (java.time.format.DateTimeParseException e) {
                    problems.add(where + " '" + value + "' is not an RFC 3339 date-time");
                }
            }
            if ("email".equals(schema.get("format")) && !EMAIL.matcher(value).matches()) {
                problems.add(where + " '" + value + "' is not an email address");
            }
        }
    }

    private static void checkRange(String where, Object min, Object max, double value, List<String> problems) {
        if (min instanceof Number n && value < n.doubleValue()) {
            problems.add(where + " " + value + " is below " + n);
        }
        if (max instanceof Number n && value > n.doubleValue()) {
            problems.add(where + " " + value + " is above " + n);
        }
    }

    /**
     * YAML 1.1, which SnakeYAML reads, takes {@code on}, {@code off}, {@code yes} and {@code no} for booleans: the
     * contract's enum {@code [pending, confirmed, off]} would read as {@code [pending, confirmed, false]}. OpenAPI
     * 3 documents are YAML 1.2, where only {@code true} and {@code false} are.
     */
    private static final class Yaml12Booleans extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }

    private Map<String, Object> resolve(Map<String, Object> node) {
        Object ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        Map<String, Object> target = spec;
        for (String part : String.valueOf(ref).substring(2).split("/")) {
            target = map(target.get(part));
        }
        return resolve(target);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<Object, Object>) m).forEach((k, v) -> copy.put(String.valueOf(k), v));
            return copy;
        }
        return Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}
