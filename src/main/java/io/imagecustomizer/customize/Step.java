package io.imagecustomizer.customize;

/** One named customization, run in the pipeline's order over a shared {@link CustomizeContext}. */
public interface Step {
  /** Short name for progress lines and errors ("users", "additional files"). */
  String name();

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
