package io.imagecustomizer.customize;

import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.progress.Progress;
import io.imagecustomizer.progress.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OS customization of a run, in upstream's order. The steps up to the post-customization
 * scripts run with the host's resolv.conf in the image; finalize scripts run after the image's own
 * is back, so they can write their own.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final List<Step> withHostNetwork;
  private final List<Step> afterRestore;

  public Pipeline(List<Step> withHostNetwork, List<Step> afterRestore) {
    this.withHostNetwork = List.copyOf(withHostNetwork);
    this.afterRestore = List.copyOf(afterRestore);
  }

  /** The YAML paths of the config fields the steps apply. */
  public Set<String> applies() {
    Set<String> fields = new HashSet<>();
    all().forEach(step -> fields.addAll(step.applies()));
    return fields;
  }

  /** The names of the steps this run needs, in order, for progress and dry runs. */
  public List<String> plan(CustomizeContext merged, List<LoadedConfig> members) {
    List<String> names = new ArrayList<>();
    for (Step step : all()) {
      for (CustomizeContext context : contexts(step, merged, members)) {
        if (step.isNeeded(context)) {
          names.add(step.name());
        }
      }
    }
    return names;
  }

  /**
   * Runs the steps over the image.
   *
   * @param merged the chain's merged settings
   * @param members the configs of the chain, bases first; per-config steps run once for each
   */
  public void run(
      CustomizeContext merged, List<LoadedConfig> members, Path hostResolvConf, Progress progress) {
    int total = plan(merged, members).size();
    List<String> times = new ArrayList<>();
    long start = System.nanoTime();
    int number = 0;
    try (ResolvConf resolv = ResolvConf.useHosts(merged.root(), hostResolvConf)) {
      number = runAll(withHostNetwork, merged, members, new Count(number, total), times, progress);
    }
    runAll(afterRestore, merged, members, new Count(number, total), times, progress);
    LOG.debug("Customized the OS in {} s: {}", seconds(start), String.join(", ", times));
  }

  private record Count(int done, int total) {}

  private static int runAll(
      List<Step> steps,
      CustomizeContext merged,
      List<LoadedConfig> members,
      Count count,
      List<String> times,
      Progress progress) {
    int number = count.done();
    for (Step step : steps) {
      for (CustomizeContext context : contexts(step, merged, members)) {
        if (step.isNeeded(context)) {
          Span span = progress.start(step.name(), ++number, count.total());
          times.add(step.name() + " " + runStep(step, context, span) + " s");
        }
      }
    }
    return number;
  }

  private static List<CustomizeContext> contexts(
      Step step, CustomizeContext merged, List<LoadedConfig> members) {
    return step.perConfig() ? members.stream().map(merged::withConfig).toList() : List.of(merged);
  }

  private static String runStep(Step step, CustomizeContext context, Span opened) {
    try (Span span = opened) {
      step.run(context);
      span.succeeded();
    } catch (ImageCustomizerException e) {
      throw new ImageCustomizerException(
          "step '" + step.name() + "' failed: " + e.getMessage(), e.hint(), e);
    }
    return String.format("%.1f", opened.seconds());
  }

  private List<Step> all() {
    List<Step> all = new ArrayList<>(withHostNetwork);
    all.addAll(afterRestore);
    return all;
  }

  private static String seconds(long startNanos) {
    return String.format("%.1f", (System.nanoTime() - startNanos) / 1e9);
  }
}
