package io.imagecustomizer.config.yaml;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The spelling a YAML file uses for enum constants (their {@link JsonProperty} name). */
public final class YamlNames {
  private YamlNames() {}

  public static String of(Enum<?> constant) {
    try {
      JsonProperty property =
          constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
      return property == null ? constant.name() : property.value();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<String> all(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(YamlNames::of).toList();
  }

  public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
    return Arrays.stream(type.getEnumConstants()).filter(e -> of(e).equals(text)).findFirst();
  }
}
