package io.imagecustomizer.customize;

import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.customize.steps.AdditionalDirsStep;
import io.imagecustomizer.customize.steps.AdditionalFilesStep;
import io.imagecustomizer.customize.steps.GroupsStep;
import io.imagecustomizer.customize.steps.HostnameStep;
import io.imagecustomizer.customize.steps.KernelCommandLineStep;
import io.imagecustomizer.customize.steps.ModulesStep;
import io.imagecustomizer.customize.steps.PackagesStep;
import io.imagecustomizer.customize.steps.ReleaseFileStep;
import io.imagecustomizer.customize.steps.ScriptsStep;
import io.imagecustomizer.customize.steps.SelinuxStep;
import io.imagecustomizer.customize.steps.ServicesStep;
import io.imagecustomizer.customize.steps.UsersStep;
import io.imagecustomizer.error.ImageCustomizerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The OS customization of a run, in upstream's order. The steps up to the post-customization
 * scripts run with the host's resolv.conf in the image; finalize scripts run after the image's own
 * is back, so they can write their own.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  /**
   * Marks the log event of a step starting, whose arguments are the step's number, the number of
   * steps and its name; a terminal shows it as a bar until the step's {@link #STEP_DONE} event.
   */
  public static final Marker STEP_STARTED = MarkerFactory.getMarker("STEP_STARTED");

  /** Marks the log event of a step ending. */
  public static final Marker STEP_DONE = MarkerFactory.getMarker("STEP_DONE");

  private final List<Step> withHostNetwork;
  private final List<Step> afterRestore;

  public Pipeline(List<Step> withHostNetwork, List<Step> afterRestore) {
    this.withHostNetwork = List.copyOf(withHostNetwork);
    this.afterRestore = List.copyOf(afterRestore);
  }

  /** The standard OS customization steps. */
  public static Pipeline standard() {
    return new Pipeline(
        List.of(
            new PackagesStep(),
            new HostnameStep(),
            new GroupsStep(),
            new UsersStep(),
            new AdditionalDirsStep(),
            new AdditionalFilesStep(),
            new ServicesStep(),
            new ModulesStep(),
            new ReleaseFileStep(),
            new KernelCommandLineStep(),
            new SelinuxStep(),
            ScriptsStep.postCustomization()),
        List.of(ScriptsStep.finalizeCustomization()));
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
  public void run(CustomizeContext merged, List<LoadedConfig> members, Path hostResolvConf) {
    int total = plan(merged, members).size();
    List<String> times = new ArrayList<>();
    long start = System.nanoTime();
    int number = 0;
    try (ResolvConf resolv = ResolvConf.useHosts(merged.root(), hostResolvConf)) {
      number = runAll(withHostNetwork, merged, members, number, total, times);
    }
    runAll(afterRestore, merged, members, number, total, times);
    LOG.info("Customized the OS in {} s: {}", seconds(start), String.join(", ", times));
  }

  private static int runAll(
      List<Step> steps,
      CustomizeContext merged,
      List<LoadedConfig> members,
      int done,
      int total,
      List<String> times) {
    int number = done;
    for (Step step : steps) {
      for (CustomizeContext context : contexts(step, merged, members)) {
        if (step.isNeeded(context)) {
          times.add(step.name() + " " + runStep(step, context, ++number, total) + " s");
        }
      }
    }
    return number;
  }

  private static List<CustomizeContext> contexts(
      Step step, CustomizeContext merged, List<LoadedConfig> members) {
    return step.perConfig() ? members.stream().map(merged::withConfig).toList() : List.of(merged);
  }

  private static String runStep(Step step, CustomizeContext context, int number, int total) {
    long start = System.nanoTime();
    LOG.info(STEP_STARTED, "[{}/{}] {}", number, total, step.name());
    try {
      step.run(context);
    } catch (ImageCustomizerException e) {
      throw new ImageCustomizerException(
          "step '" + step.name() + "' failed: " + e.getMessage(), e.hint(), e);
    }
    String took = seconds(start);
    LOG.info(STEP_DONE, "[{}/{}] {} done in {} s", number, total, step.name(), took);
    return took;
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
