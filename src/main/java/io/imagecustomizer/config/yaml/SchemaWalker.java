package io.imagecustomizer.config.yaml;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a {@link YNode} tree against the config records, by reflection, and turns it into the
 * canonical JSON tree that Jackson binds. It keeps going after a problem (the bad value becomes
 * absent) so that one run reports every problem in the file, each with its path and position.
 */
public final class SchemaWalker {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> TRUE_WORDS =
      Set.of("true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON");
  private static final Set<String> FALSE_WORDS =
      Set.of("false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF");

  private final List<Problem> problems = new ArrayList<>();
  private final YamlPositions positions = new YamlPositions();

  public List<Problem> problems() {
    return problems;
  }

  public YamlPositions positions() {
    return positions;
  }

  /** Walks the document root as an instance of {@code type}. */
  public JsonNode walk(YNode root, Class<?> type) {
    return walk(root, type, "", null);
  }

  private JsonNode walk(YNode node, Type type, String path, @Nullable YamlShape shape) {
    positions.value(path, node.position());
    if (node instanceof YNode.Scalar scalar && scalar.isNull()) {
      return JSON.nullNode();
    }
    Class<?> raw = rawClass(type);
    if (List.class.equals(raw)) {
      return list(node, elementType(type, 0), path, shape);
    }
    if (Map.class.equals(raw)) {
      return map(node, elementType(type, 1), path);
    }
    if (raw.isRecord()) {
      return record(node, raw, path);
    }
    if (!(node instanceof YNode.Scalar scalar)) {
      return fail(path, node, "expected " + describe(raw) + ", found " + node.kind(), null);
    }
    return scalar(scalar, raw, path);
  }

  private JsonNode scalar(YNode.Scalar scalar, Class<?> type, String path) {
    String text = scalar.text();
    if (String.class.equals(type)) {
      return JSON.stringNode(text);
    }
    if (Boolean.class.equals(type)) {
      if (TRUE_WORDS.contains(text)) {
        return JSON.booleanNode(true);
      }
      if (FALSE_WORDS.contains(text)) {
        return JSON.booleanNode(false);
      }
      return fail(path, scalar, "expected true or false, found \"" + text + "\"", null);
    }
    if (Integer.class.equals(type) || Long.class.equals(type)) {
      BigInteger value = parseInteger(text);
      long min = Integer.class.equals(type) ? Integer.MIN_VALUE : Long.MIN_VALUE;
      long max = Integer.class.equals(type) ? Integer.MAX_VALUE : Long.MAX_VALUE;
      if (value == null
          || value.compareTo(BigInteger.valueOf(min)) < 0
          || value.compareTo(BigInteger.valueOf(max)) > 0) {
        return fail(path, scalar, "expected a whole number, found \"" + text + "\"", null);
      }
      return JSON.numberNode(value.longValue());
    }
    if (type.isEnum()) {
      @SuppressWarnings("unchecked")
      List<String> names = YamlNames.all((Class<? extends Enum<?>>) type);
      if (names.contains(text)) {
        return JSON.stringNode(text);
      }
      String near = nearest(text, names);
      return fail(
          path,
          scalar,
          "invalid value \"" + text + "\"",
          (near == null ? "" : "did you mean \"" + near + "\"? ")
              + "valid values: "
              + String.join(", ", names));
    }
    throw new IllegalStateException("config type without YAML mapping: " + type);
  }

  private JsonNode list(YNode node, Type element, String path, @Nullable YamlShape shape) {
    if (node instanceof YNode.Sequence sequence) {
      ArrayNode array = JSON.arrayNode();
      for (int i = 0; i < sequence.items().size(); i++) {
        array.add(walk(sequence.items().get(i), element, path + "[" + i + "]", null));
      }
      return array;
    }
    if (shape != null
        && shape.value() == YamlShape.Kind.SCALAR_AS_LIST
        && node instanceof YNode.Scalar scalar) {
      ArrayNode array = JSON.arrayNode();
      array.add(walk(scalar, element, path + "[0]", null));
      return array;
    }
    if (shape != null
        && shape.value() == YamlShape.Kind.SOURCE_DESTINATION_MAP
        && node instanceof YNode.Mapping mapping) {
      return sourceDestinationMap(mapping, rawClass(element), path);
    }
    return fail(path, node, "expected a list, found " + node.kind(), null);
  }

  /**
   * The older documented form of additional files: {@code source: destination}, or {@code source:
   * {path, permissions}}, or {@code source: [{path, permissions}, ...]}.
   */
  private JsonNode sourceDestinationMap(YNode.Mapping mapping, Class<?> element, String path) {
    ArrayNode array = JSON.arrayNode();
    for (YNode.Entry entry : mapping.entries()) {
      List<YNode> targets =
          entry.value() instanceof YNode.Sequence sequence
              ? sequence.items()
              : List.of(entry.value());
      for (YNode target : targets) {
        String at = path + "[" + array.size() + "]";
        positions.value(at, entry.keyPosition());
        positions.value(at + ".source", entry.keyPosition());
        List<YNode.Entry> fields = new ArrayList<>();
        fields.add(new YNode.Entry("source", entry.keyPosition(), scalarAt(entry)));
        if (target instanceof YNode.Mapping old) {
          for (YNode.Entry field : old.entries()) {
            String name = field.key().equals("path") ? "destination" : field.key();
            fields.add(new YNode.Entry(name, field.keyPosition(), field.value()));
          }
        } else {
          fields.add(new YNode.Entry("destination", target.position(), target));
        }
        array.add(record(new YNode.Mapping(fields, entry.keyPosition()), element, at));
      }
    }
    return array;
  }

  private static YNode scalarAt(YNode.Entry entry) {
    return new YNode.Scalar(entry.key(), false, entry.keyPosition());
  }

  private JsonNode map(YNode node, Type valueType, String path) {
    if (!(node instanceof YNode.Mapping mapping)) {
      return fail(path, node, "expected a mapping of names to values, found " + node.kind(), null);
    }
    ObjectNode object = JSON.objectNode();
    for (YNode.Entry entry : mapping.entries()) {
      String at = path + "." + entry.key();
      positions.key(at, entry.keyPosition());
      if (object.has(entry.key())) {
        fail(at, entry.keyPosition(), "\"" + entry.key() + "\" is given twice", null);
        continue;
      }
      JsonNode value = walk(entry.value(), valueType, at, null);
      if (value.isNull() && String.class.equals(rawClass(valueType))) {
        value = JSON.stringNode("");
      }
      object.set(entry.key(), value);
    }
    return object;
  }

  private JsonNode record(YNode node, Class<?> type, String path) {
    YamlShape typeShape = type.getAnnotation(YamlShape.class);
    RecordComponent[] components = type.getRecordComponents();
    if (node instanceof YNode.Scalar scalar && typeShape != null) {
      return shortForm(scalar, type, components, typeShape, path);
    }
    if (!(node instanceof YNode.Mapping mapping)) {
      return fail(
          path,
          node,
          "expected a mapping with fields " + fieldList(components) + ", found " + node.kind(),
          null);
    }
    ObjectNode object = JSON.objectNode();
    Set<String> seen = new HashSet<>();
    for (YNode.Entry entry : mapping.entries()) {
      String at = path.isEmpty() ? entry.key() : path + "." + entry.key();
      positions.key(at, entry.keyPosition());
      RecordComponent component = component(components, entry.key());
      if (component == null) {
        unknownField(at, entry, components);
        continue;
      }
      if (!seen.add(entry.key())) {
        fail(at, entry.keyPosition(), "\"" + entry.key() + "\" is given twice", null);
        continue;
      }
      object.set(
          entry.key(),
          walk(
              entry.value(),
              component.getGenericType(),
              at,
              component.getAnnotation(YamlShape.class)));
    }
    return object;
  }

  private JsonNode shortForm(
      YNode.Scalar scalar,
      Class<?> type,
      RecordComponent[] components,
      YamlShape shape,
      String path) {
    ObjectNode object = JSON.objectNode();
    if (shape.value() == YamlShape.Kind.SCALAR_AS_FIELD) {
      object.set(shape.field(), walk(scalar, String.class, path + "." + shape.field(), null));
      return object;
    }
    String[] parts = scalar.text().split("/", -1);
    if (parts.length > 2) {
      return fail(
          path,
          scalar,
          "expected \"" + components[0].getName() + "/" + components[1].getName() + "\"",
          null);
    }
    for (int i = 0; i < parts.length; i++) {
      object.put(components[i].getName(), parts[i]);
    }
    return object;
  }

  private void unknownField(String at, YNode.Entry entry, RecordComponent[] components) {
    List<String> known = names(components);
    String near = nearest(entry.key(), known);
    fail(
        at,
        entry.keyPosition(),
        "unknown field \"" + entry.key() + "\"",
        near != null
            ? "did you mean \"" + near + "\"?"
            : "known fields: " + String.join(", ", known));
  }

  private JsonNode fail(String path, YNode node, String message, @Nullable String hint) {
    return fail(path, node.position(), message, hint);
  }

  private JsonNode fail(
      String path, @Nullable Position position, String message, @Nullable String hint) {
    problems.add(new Problem(path, position, message, hint));
    return JSON.nullNode();
  }

  private static @Nullable RecordComponent component(RecordComponent[] components, String name) {
    for (RecordComponent component : components) {
      if (component.getName().equals(name)) {
        return component;
      }
    }
    return null;
  }

  private static List<String> names(RecordComponent[] components) {
    List<String> names = new ArrayList<>();
    for (RecordComponent component : components) {
      names.add(component.getName());
    }
    return names;
  }

  private static String fieldList(RecordComponent[] components) {
    return "(" + String.join(", ", names(components)) + ")";
  }

  private static String describe(Class<?> type) {
    if (String.class.equals(type)) {
      return "a string";
    }
    if (Boolean.class.equals(type)) {
      return "true or false";
    }
    if (Integer.class.equals(type) || Long.class.equals(type)) {
      return "a whole number";
    }
    return "a single value";
  }

  private static @Nullable BigInteger parseInteger(String text) {
    String digits = text.replace("_", "");
    try {
      if (digits.startsWith("0x")) {
        return new BigInteger(digits.substring(2), 16);
      }
      if (digits.startsWith("0o")) {
        return new BigInteger(digits.substring(2), 8);
      }
      return new BigInteger(digits.startsWith("+") ? digits.substring(1) : digits);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("unsupported config type " + type);
  }

  private static Type elementType(Type type, int index) {
    ParameterizedType parameterized = (ParameterizedType) type;
    Type[] arguments = parameterized.getActualTypeArguments();
    return arguments[Math.min(index, arguments.length - 1)];
  }

  /** The closest known spelling within two edits, or one that differs only in case. */
  static @Nullable String nearest(String word, List<String> candidates) {
    return candidates.stream()
        .filter(c -> c.equalsIgnoreCase(word) || distance(c, word) <= 2)
        .min(Comparator.comparingInt(c -> c.equalsIgnoreCase(word) ? -1 : distance(c, word)))
        .orElse(null);
  }

  static int distance(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    int[] previous = new int[y.length() + 1];
    int[] current = new int[y.length() + 1];
    for (int j = 0; j <= y.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= y.length(); j++) {
        int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[y.length()];
  }
}
