package io.imagecustomizer.run.plan;

import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.customize.Pipeline;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.progress.Progress;
import io.imagecustomizer.progress.Span;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.run.Artifact;
import io.imagecustomizer.run.ConfigUse;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.Workflow;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One customize run: its settings checked, the fields this version cannot apply refused ({@link
 * ConfigUse}), then the stages of its run kind. Whatever the stages leave open is closed when the
 * run ends, newest first, also after a failure.
 */
public final class CustomizeRun {
  private static final Logger LOG = LoggerFactory.getLogger(CustomizeRun.class);

  /** The name of the outermost span of a run, as upstream's timing records name the tool. */
  public static final String ROOT_SPAN = "imagecustomizer";

  private final ProcessRunner runner;
  private final Pipeline pipeline;
  private final Progress progress;

  public CustomizeRun(ProcessRunner runner, Pipeline pipeline, Progress progress) {
    this.runner = runner;
    this.pipeline = pipeline;
    this.progress = progress;
  }

  /** Runs the stages of the settings' run kind; returns the files written. */
  public List<Artifact> run(RunSettings settings) {
    ConfigUse.refuseUnapplied(settings.chain());
    Workflow workflow = Workflows.of(settings, pipeline);
    LOG.debug("run kind {}: {}", workflow.name(), workflow.stageNames());
    List<Artifact> outputs;
    try (Span whole = progress.start(ROOT_SPAN);
        CleanupStack resources = new CleanupStack()) {
      RunContext context = new RunContext(settings, runner, pipeline, resources, progress);
      workflow.run(context);
      outputs = context.outputs();
      whole.succeeded();
    }
    LOG.info("{} written in {} s: {}", settings.outputPath(), seconds(), stageTimes());
    // upstream's last line, which scripts wait for
    LOG.info("Success!");
    return outputs;
  }

  private String seconds() {
    return progress.finished().stream()
        .filter(span -> span.depth() == 0)
        .findFirst()
        .map(span -> String.format("%.1f", span.seconds()))
        .orElse("?");
  }

  private String stageTimes() {
    return progress.finished().stream()
        .filter(span -> span.depth() == 1)
        .map(span -> span.name() + " " + String.format("%.1f", span.seconds()) + " s")
        .collect(Collectors.joining(", "));
  }
}
