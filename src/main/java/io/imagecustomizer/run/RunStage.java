package io.imagecustomizer.run;

import java.util.Set;

/**
 * One named stage of a run (convert the input, customize the OS, write the output, ...). A run kind
 * is a list of stages ({@link Workflows}); each stage says which config fields it applies, so that
 * no field can be accepted and then dropped without a test noticing ({@link ConfigUse}).
 */
public interface RunStage {
  /** Short name for progress lines, timings and errors ("convert to raw"). */
  String name();

  /**
   * The YAML paths of the config fields this stage applies ({@code os.hostname}, {@code iso}); a
   * path covers every field under it.
   */
  Set<String> applies();

  /** Whether this run needs the stage; decided when the stage's turn comes. */
  default boolean isNeeded(RunContext run) {
    return true;
  }

  void run(RunContext run);
}
