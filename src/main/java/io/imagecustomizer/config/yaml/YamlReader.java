package io.imagecustomizer.config.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Parses YAML (or JSON) text into a {@link YNode} tree with positions. */
public final class YamlReader {
  private YamlReader() {}

  /** The parsed document, or the syntax problem that stopped parsing. */
  public sealed interface Result {}

  /** A parsed document. */
  public record Parsed(YNode root) implements Result {}

  /** Text that is not YAML, or is empty. */
  public record Failed(Problem problem) implements Result {}

  public static Result read(String text, String name) {
    LoadSettings settings = LoadSettings.builder().setLabel(name).build();
    Optional<Node> root;
    try {
      root = new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      Position at = e.getProblemMark().map(YamlReader::position).orElse(null);
      return new Failed(
          new Problem("", at, "not valid YAML: " + e.getProblem(), "fix the syntax at this spot"));
    } catch (YamlEngineException e) {
      return new Failed(new Problem("", null, "not valid YAML: " + e.getMessage(), null));
    }
    if (root.isEmpty()) {
      return new Failed(
          new Problem(
              "",
              new Position(1, 1),
              "the file is empty",
              "a config needs at least one section; the smallest valid config is \"os:\""));
    }
    return new Parsed(convert(root.get()));
  }

  private static YNode convert(Node node) {
    Position at = node.getStartMark().map(YamlReader::position).orElse(null);
    if (node instanceof ScalarNode scalar) {
      return new YNode.Scalar(scalar.getValue(), Tag.NULL.equals(scalar.getTag()), at);
    }
    if (node instanceof SequenceNode sequence) {
      List<YNode> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        items.add(convert(item));
      }
      return new YNode.Sequence(items, at);
    }
    MappingNode mapping = (MappingNode) node;
    List<YNode.Entry> entries = new ArrayList<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node key = tuple.getKeyNode();
      String keyText = key instanceof ScalarNode s ? s.getValue() : "<" + key.getNodeType() + ">";
      Position keyAt = key.getStartMark().map(YamlReader::position).orElse(null);
      entries.add(new YNode.Entry(keyText, keyAt, convert(tuple.getValueNode())));
    }
    return new YNode.Mapping(entries, at);
  }

  private static @Nullable Position position(Mark mark) {
    return new Position(mark.getLine() + 1, mark.getColumn() + 1);
  }
}
