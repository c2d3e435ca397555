package io.imagecustomizer.run;

import io.imagecustomizer.progress.Span;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run kind: its stages, run in order, each timed as a span of the run's progress. */
public record Workflow(String name, List<RunStage> stages) {
  private static final Logger LOG = LoggerFactory.getLogger(Workflow.class);

  public Workflow {
    stages = List.copyOf(stages);
  }

  public List<String> stageNames() {
    return stages.stream().map(RunStage::name).toList();
  }

  /** Runs the stages this run needs; the first failure ends the run. */
  public void run(RunContext run) {
    int number = 0;
    for (RunStage stage : stages) {
      number++;
      if (!stage.isNeeded(run)) {
        LOG.debug("stage {} is not needed by this run", stage.name());
        continue;
      }
      try (Span span = run.progress().start(stage.name(), number, stages.size())) {
        stage.run(run);
        span.succeeded();
      }
    }
  }
}
