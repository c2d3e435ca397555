package io.imagecustomizer.run.stages;

import io.imagecustomizer.chroot.Chroot;
import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.customize.BootDisk;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Pipeline;
import io.imagecustomizer.customize.RpmSources;
import io.imagecustomizer.customize.ToolVersion;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.partition.GptReader;
import io.imagecustomizer.liveos.LiveOsWorkDir;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import io.imagecustomizer.run.Workspace;
import io.imagecustomizer.storage.VerityPartitions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The OS customization ({@link Pipeline}) in a chroot: on the working copy of a disk input, opened
 * read-write and closed again at the end of the stage, or on the OS tree unpacked from an ISO.
 */
public final class CustomizeOs implements RunStage {
  private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

  private final Pipeline pipeline;
  private final boolean unpackedTree;
  private final Predicate<RunContext> needed;

  private CustomizeOs(Pipeline pipeline, boolean unpackedTree, Predicate<RunContext> needed) {
    this.pipeline = pipeline;
    this.unpackedTree = unpackedTree;
    this.needed = needed;
  }

  /** Customizes the OS on the raw working copy. */
  public static CustomizeOs inWorkingCopy(Pipeline pipeline) {
    return new CustomizeOs(pipeline, false, run -> true);
  }

  /** Customizes the tree {@link UnpackOs} unpacked, when that stage ran. */
  public static CustomizeOs inUnpackedTree(Pipeline pipeline) {
    return new CustomizeOs(pipeline, true, UnpackOs::isNeededFor);
  }

  @Override
  public String name() {
    return "customize os";
  }

  @Override
  public Set<String> applies() {
    return pipeline.applies();
  }

  @Override
  public boolean isNeeded(RunContext run) {
    return needed.test(run);
  }

  @Override
  public void run(RunContext run) {
    try (CleanupStack open = new CleanupStack()) {
      ImageRoot root;
      BootDisk disk = null;
      if (unpackedTree) {
        root = new ImageRoot(new LiveOsWorkDir(run.liveOsWork()).rootfs());
      } else {
        Workspace workspace = run.workspace();
        OsImage image =
            open.push(
                "image",
                OsImage.open(
                    run.runner(),
                    workspace.rawImage(),
                    workspace.imageMount(),
                    false,
                    VerityPartitions.mapped(
                        VerityPartitions.devices(
                            run.settings().config().storage(),
                            GptReader.read(workspace.rawImage()),
                            run.inputVerity()))));
        root = image.root();
        disk = new BootDisk(image, run.runner(), workspace.fatScratch(), workspace.buildDir());
      }
      customize(run, root, disk, open);
    }
  }

  private void customize(
      RunContext run, ImageRoot root, @Nullable BootDisk disk, CleanupStack open) {
    RunSettings settings = run.settings();
    // the date reaches the image's programs and scripts too, for those that honour it (shadow's
    // password change dates; a user's script may)
    Chroot chroot =
        open.push(
            "chroot",
            Chroot.enter(run.runner(), root, Command.sourceDateEnvironment(settings.sourceDate())));
    CustomizeContext context =
        new CustomizeContext(
            settings.loaded(),
            settings.chain().main(),
            root,
            chroot,
            ImageId.of(settings),
            Objects.requireNonNullElseGet(settings.sourceDate(), Instant::now),
            ToolVersion.get(),
            new RpmSources(
                run.runner(),
                settings.rpmSources(),
                !settings.disableBaseImageRpmRepos(),
                settings.buildDir()),
            settings.packageSnapshotTime(),
            disk);
    pipeline.run(context, settings.chain().members(), HOST_RESOLV_CONF, run.progress());
    open.push("flush", () -> run.runner().run(Command.of("sync")));
  }
}
