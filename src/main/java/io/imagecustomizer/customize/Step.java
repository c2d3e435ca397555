package io.imagecustomizer.customize;

import java.util.Set;

/** One named customization, run in the pipeline's order over a shared {@link CustomizeContext}. */
public interface Step {
  /** Short name for progress lines and errors ("users", "additional files"). */
  String name();

  /**
   * The YAML paths of the config fields this step applies ({@code os.users}); a path covers every
   * field under it.
   */
  Set<String> applies();

  /** Whether the config asks for anything this step does. */
  boolean isNeeded(CustomizeContext context);

  void run(CustomizeContext context);

  /**
   * Whether the step applies each config of a base-config chain in turn (with paths relative to
   * that config), rather than the chain's merged settings once.
   */
  default boolean perConfig() {
    return true;
  }
}
