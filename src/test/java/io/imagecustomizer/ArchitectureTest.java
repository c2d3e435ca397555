package io.imagecustomizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Packages depend one way only, as docs/architecture.md draws them. This reads every reference of
 * the main sources to a project class, by import or written out in full, and fails on one that
 * points the wrong way between layers, and on a cycle between any two packages, sub-packages
 * included ({@code customize} and {@code customize.steps} may not need each other).
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/io/imagecustomizer");

  /** A project class named in full, by an import or in code: its package is the part before. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\bio\\.imagecustomizer\\.((?:[a-z][a-z0-9]*\\.)*)[A-Z]");

  private static final Pattern PACKAGE =
      Pattern.compile("^package io\\.imagecustomizer\\.([\\w.]+);");

  /** For each layer (top-level package), the layers it may use. */
  private static final Map<String, List<String>> ALLOWED = allowed();

  private static Map<String, List<String>> allowed() {
    // Bottom up: each layer may use the layers listed before it on its line.
    Map<String, List<String>> allowed = new HashMap<>();
    allowed.put("error", List.of());
    allowed.put("progress", List.of("error"));
    allowed.put("config", List.of("error"));
    allowed.put("process", List.of("error"));
    allowed.put("resource", List.of("error", "process"));
    allowed.put("format", List.of("error", "process", "resource"));
    allowed.put("image", List.of("error", "process", "resource", "format", "config"));
    allowed.put("chroot", List.of("error", "process", "resource", "format", "image"));
    allowed.put("boot", List.of("error", "process", "resource", "format", "image", "chroot"));
    allowed.put("storage", List.of("error", "process", "resource", "format", "image", "config"));
    allowed.put("oci", List.of("error", "process", "resource", "config"));
    List<String> belowLiveOs =
        List.of(
            "error",
            "progress",
            "process",
            "resource",
            "format",
            "image",
            "chroot",
            "boot",
            "config");
    allowed.put("liveos", belowLiveOs);
    List<String> belowCustomize = new ArrayList<>(belowLiveOs);
    belowCustomize.add("liveos");
    allowed.put("customize", belowCustomize);
    List<String> belowRun = new ArrayList<>(belowCustomize);
    belowRun.add("customize");
    belowRun.add("storage");
    belowRun.add("oci");
    allowed.put("run", belowRun);
    List<String> belowCli = new ArrayList<>(belowRun);
    belowCli.add("run");
    allowed.put("cli", belowCli);
    return allowed;
  }

  @Test
  void referencesFollowTheLayering() throws IOException {
    for (Map.Entry<String, Set<String>> entry : dependencies().entrySet()) {
      String own = layer(entry.getKey());
      assertThat(ALLOWED).as("layer %s is listed in ArchitectureTest", own).containsKey(own);
      for (String target : entry.getValue()) {
        if (!layer(target).equals(own)) {
          assertThat(ALLOWED.get(own))
              .as("%s uses %s", entry.getKey(), target)
              .contains(layer(target));
        }
      }
    }
  }

  @Test
  void noPackageCycles() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    List<List<String>> cycles = new ArrayList<>();
    for (String start : graph.keySet()) {
      List<String> cycle = cycleThrough(start, graph);
      if (cycle != null && cycle.get(0).equals(cycle.stream().sorted().findFirst().orElseThrow())) {
        cycles.add(cycle);
      }
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  @Test
  void findsCyclesAndFullyQualifiedReferences() {
    Map<String, Set<String>> graph =
        Map.of("a", Set.of("a.b"), "a.b", Set.of("c"), "c", Set.of("a"));
    assertThat(cycleThrough("a", graph)).containsExactly("a", "a.b", "c");
    assertThat(cycleThrough("a", Map.of("a", Set.of("b"), "b", Set.of()))).isNull();
    Matcher inCode = REFERENCE.matcher("x = io.imagecustomizer.config.yaml.YNode.of(y);");
    assertThat(inCode.find()).isTrue();
    assertThat(inCode.group(1)).isEqualTo("config.yaml.");
  }

  /** The shortest path of dependencies from {@code start} back to itself, or null. */
  private static List<String> cycleThrough(String start, Map<String, Set<String>> graph) {
    Map<String, String> cameFrom = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(graph.getOrDefault(start, Set.of()));
    graph.getOrDefault(start, Set.of()).forEach(next -> cameFrom.put(next, start));
    Set<String> seen = new HashSet<>(queue);
    while (!queue.isEmpty()) {
      String node = queue.poll();
      if (node.equals(start)) {
        List<String> cycle = new ArrayList<>();
        for (String at = cameFrom.get(start); !at.equals(start); at = cameFrom.get(at)) {
          cycle.add(0, at);
        }
        cycle.add(0, start);
        return cycle;
      }
      for (String next : graph.getOrDefault(node, Set.of())) {
        if (seen.add(next)) {
          cameFrom.put(next, node);
          queue.add(next);
        }
      }
    }
    return null;
  }

  /** For each main package (relative to io.imagecustomizer), the other packages it uses. */
  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(file);
        Matcher declared = PACKAGE.matcher(text);
        if (!declared.find()) {
          continue;
        }
        String own = declared.group(1);
        Set<String> uses = graph.computeIfAbsent(own, k -> new TreeSet<>());
        Matcher reference = REFERENCE.matcher(text.substring(declared.end()));
        while (reference.find()) {
          String target = reference.group(1);
          target = target.isEmpty() ? "" : target.substring(0, target.length() - 1);
          if (!target.isEmpty() && !target.equals(own)) {
            uses.add(target);
          }
        }
      }
    }
    return graph;
  }

  private static String layer(String pkg) {
    int dot = pkg.indexOf('.');
    return dot < 0 ? pkg : pkg.substring(0, dot);
  }
}
