package io.imagecustomizer.run;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The config records seen as YAML paths: every field path the schema has ({@code
 * storage.disks[].partitions[].id}, with {@code []} for list elements), and the concrete paths of
 * the fields a loaded config sets ({@code storage.disks[0]}). Record component names are the YAML
 * field names.
 */
public final class ConfigFields {
  private ConfigFields() {}

  /** Every field path under {@code type}, leaves and sections alike, in declaration order. */
  public static List<String> all(Class<?> type) {
    List<String> paths = new ArrayList<>();
    collect(type, "", paths);
    return paths;
  }

  private static void collect(Class<?> type, String prefix, List<String> paths) {
    for (RecordComponent component : type.getRecordComponents()) {
      String path = prefix.isEmpty() ? component.getName() : prefix + "." + component.getName();
      paths.add(path);
      Class<?> element = elementType(component.getGenericType());
      if (element != null && element.isRecord()) {
        collect(element, path + "[]", paths);
      } else if (component.getType().isRecord()) {
        collect(component.getType(), path, paths);
      }
    }
  }

  private static @Nullable Class<?> elementType(Type type) {
    if (type instanceof ParameterizedType parameterized
        && parameterized.getRawType() instanceof Class<?> raw
        && List.class.isAssignableFrom(raw)
        && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
      return element;
    }
    return null;
  }

  /**
   * The concrete paths where {@code config} sets the field at {@code path} (a path of {@link
   * #all}): one per list element on the way ({@code storage.filesystems[1].btrfs}). A field is set
   * when it has a value other than null, false or an empty list.
   */
  public static List<String> setPaths(Object config, String path) {
    return List.copyOf(setValues(config, path).keySet());
  }

  /** The values {@code config} sets for the field at {@code path}, by concrete path, in order. */
  public static Map<String, Object> setValues(Object config, String path) {
    Map<String, Object> found = new LinkedHashMap<>();
    find(config, "", List.of(path.split("\\.")), found);
    return found;
  }

  private static void find(
      Object value, String prefix, List<String> segments, Map<String, Object> found) {
    String segment = segments.get(0);
    boolean each = segment.endsWith("[]");
    String name = each ? segment.substring(0, segment.length() - 2) : segment;
    Object child = component(value, name);
    String path = prefix.isEmpty() ? name : prefix + "." + name;
    if (!isSet(child)) {
      return;
    }
    List<String> rest = segments.subList(1, segments.size());
    if (rest.isEmpty() && !each) {
      found.put(path, child);
      return;
    }
    if (each) {
      List<?> list = (List<?>) child;
      for (int i = 0; i < list.size(); i++) {
        if (rest.isEmpty()) {
          found.put(path + "[" + i + "]", list.get(i));
        } else if (list.get(i) != null) {
          find(list.get(i), path + "[" + i + "]", rest, found);
        }
      }
    } else {
      find(child, path, rest, found);
    }
  }

  private static @Nullable Object component(Object record, String name) {
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      if (component.getName().equals(name)) {
        try {
          return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + name + " of " + record, e);
        }
      }
    }
    throw new IllegalArgumentException(record.getClass().getSimpleName() + " has no field " + name);
  }

  private static boolean isSet(@Nullable Object value) {
    if (value == null || Boolean.FALSE.equals(value)) {
      return false;
    }
    if (value instanceof Collection<?> collection) {
      return !collection.isEmpty();
    }
    if (value instanceof Map<?, ?> map) {
      return !map.isEmpty();
    }
    return true;
  }
}
