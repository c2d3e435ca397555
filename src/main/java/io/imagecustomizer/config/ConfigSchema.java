package io.imagecustomizer.config;

import com.fasterxml.classmate.ResolvedType;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.CustomDefinitionProviderV2;
import com.github.victools.jsonschema.generator.CustomPropertyDefinition;
import com.github.victools.jsonschema.generator.CustomPropertyDefinitionProvider;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jackson.JacksonSchemaModule;
import io.imagecustomizer.config.yaml.YamlShape;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schema of the config file, generated from the records, for editors (VS Code's YAML
 * extension) to complete and check configs. The short forms of {@link YamlShape} are offered as
 * alternatives, so the examples users copy from the docs validate too.
 */
public final class ConfigSchema {
  private ConfigSchema() {}

  public static JsonNode generate() {
    SchemaGeneratorConfigBuilder builder =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(
                new JacksonSchemaModule(
                    JacksonOption.FLATTENED_ENUMS_FROM_JSONPROPERTY,
                    JacksonOption.RESPECT_JSONPROPERTY_ORDER))
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
            .with(Option.NULLABLE_FIELDS_BY_DEFAULT)
            .with(Option.NONPUBLIC_NONSTATIC_FIELDS_WITHOUT_GETTERS);
    builder.forFields().withCustomDefinitionProvider(new ShortFieldForms());
    builder.forTypesInGeneral().withCustomDefinitionProvider(new ShortTypeForms());
    ObjectNode schema = new SchemaGenerator(builder.build()).generateSchema(Config.class);
    schema.put("title", "imagecustomizer configuration");
    return schema;
  }

  /** Fields that also take a scalar (a one-element list) or a {@code source: destination} map. */
  private static final class ShortFieldForms
      implements CustomPropertyDefinitionProvider<FieldScope> {
    @Override
    public CustomPropertyDefinition provideCustomSchemaDefinition(
        FieldScope field, SchemaGenerationContext context) {
      YamlShape shape = field.getAnnotation(YamlShape.class);
      if (shape == null || field.isFakeContainerItemScope()) {
        return null;
      }
      JsonNode standard = context.createStandardDefinitionReference(field, this);
      ObjectNode alternative = JsonNodeFactory.instance.objectNode();
      if (shape.value() == YamlShape.Kind.SCALAR_AS_LIST) {
        alternative.put("type", "string");
      } else {
        alternative.put("type", "object");
        alternative
            .putObject("additionalProperties")
            .putArray("type")
            .add("string")
            .add("object")
            .add("array");
      }
      return new CustomPropertyDefinition(
          anyOf(standard, alternative), CustomDefinition.AttributeInclusion.YES);
    }
  }

  /**
   * Types that YAML may also give as one string ({@link YamlShape} on the type), and the config's
   * string-to-string maps, whose keys are the user's.
   */
  private static final class ShortTypeForms implements CustomDefinitionProviderV2 {
    @Override
    public CustomDefinition provideCustomSchemaDefinition(
        ResolvedType type, SchemaGenerationContext context) {
      if (Map.class.equals(type.getErasedType())) {
        ObjectNode map = JsonNodeFactory.instance.objectNode().put("type", "object");
        map.putObject("additionalProperties").put("type", "string");
        return new CustomDefinition(map);
      }
      if (type.getErasedType().getAnnotation(YamlShape.class) == null) {
        return null;
      }
      ObjectNode standard = context.createStandardDefinition(type, this);
      ObjectNode scalar = JsonNodeFactory.instance.objectNode().put("type", "string");
      // Attributes (additionalProperties: false) belong to the object form, which has them
      // already; on the anyOf they would refuse every property of it.
      return new CustomDefinition(
          anyOf(standard, scalar),
          CustomDefinition.DefinitionType.STANDARD,
          CustomDefinition.AttributeInclusion.NO);
    }
  }

  private static ObjectNode anyOf(JsonNode first, JsonNode second) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.putArray("anyOf").add(first).add(second);
    return node;
  }
}
