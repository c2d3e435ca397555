package io.imagecustomizer.run;

import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.customize.Pipeline;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.liveos.IsoMedia;
import io.imagecustomizer.liveos.LiveMedia;
import io.imagecustomizer.liveos.LiveOsIsoBuilder;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.progress.Progress;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.resource.TempDir;
import io.imagecustomizer.storage.VerityDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the stages of one run share: the settings, the tools, the build folder's paths, the run's
 * resources (closed newest first when the run ends, also on failure or a signal), and what earlier
 * stages produced for later ones.
 */
public final class RunContext {
  private final RunSettings settings;
  private final ProcessRunner runner;
  private final Pipeline pipeline;
  private final Workspace workspace;
  private final CleanupStack resources;
  private final Progress progress;
  private @Nullable Path liveOsWork;
  private @Nullable IsoMedia isoInput;
  private @Nullable LiveMedia liveMedia;
  private LiveOsIsoBuilder.@Nullable Stage liveOs;
  private final List<Artifact> outputs = new ArrayList<>();
  private List<VerityDevice> inputVerity = List.of();

  public RunContext(
      RunSettings settings,
      ProcessRunner runner,
      Pipeline pipeline,
      CleanupStack resources,
      Progress progress) {
    this.settings = settings;
    this.runner = runner;
    this.pipeline = pipeline;
    this.workspace = new Workspace(settings.buildDir());
    this.resources = resources;
    this.progress = progress;
  }

  public RunSettings settings() {
    return settings;
  }

  public ProcessRunner runner() {
    return runner;
  }

  /** The Live OS builder, with this run's squashfs compression and SOURCE_DATE_EPOCH. */
  public LiveOsIsoBuilder liveOsBuilder() {
    return new LiveOsIsoBuilder(
        runner, settings.squashfsCompression(), settings.sourceDate(), progress);
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public Workspace workspace() {
    return workspace;
  }

  /** The run's resources: whatever a stage opens for later stages goes here. */
  public CleanupStack resources() {
    return resources;
  }

  public Progress progress() {
    return progress;
  }

  /** The Live OS work folder, once a stage has created it. */
  public Path liveOsWork() {
    return require(liveOsWork, "the Live OS work folder");
  }

  /** Creates a fresh Live OS work folder in the build folder, removed when the run ends. */
  public Path createLiveOsWork() {
    liveOsWork =
        resources
            .push(
                "Live OS work folder",
                TempDir.create(workspace.buildDir(), Workspace.liveOsWorkPrefix()))
            .path();
    return liveOsWork;
  }

  /** The extracted ISO input, once read. */
  public IsoMedia isoInput() {
    return require(isoInput, "the ISO input");
  }

  public void isoInput(IsoMedia media) {
    isoInput = media;
  }

  /** The iso or pxe section's settings for this run, once known. */
  public LiveMedia liveMedia() {
    return require(liveMedia, "the Live OS media settings");
  }

  public void liveMedia(LiveMedia media) {
    liveMedia = media;
  }

  /** How the Live OS media get their OS, once a stage has decided. */
  public LiveOsIsoBuilder.Stage liveOs() {
    return require(liveOs, "the Live OS contents");
  }

  public void liveOs(LiveOsIsoBuilder.Stage stage) {
    liveOs = stage;
  }

  /**
   * The verity devices the input has already, whose trees this run rebuilds; empty until the
   * partitions are checked, and for an input without verity.
   */
  public List<VerityDevice> inputVerity() {
    return inputVerity;
  }

  public void inputVerity(List<VerityDevice> devices) {
    inputVerity = List.copyOf(devices);
  }

  /** The files the run has written, in order. */
  public List<Artifact> outputs() {
    return List.copyOf(outputs);
  }

  public void published(List<Artifact> files) {
    outputs.addAll(files);
  }

  private static <T> T require(@Nullable T value, String what) {
    if (value == null) {
      // A stage list in the wrong order is our bug, not the user's.
      throw new ImageCustomizerException("internal error: " + what + " is not ready yet");
    }
    return value;
  }
}
