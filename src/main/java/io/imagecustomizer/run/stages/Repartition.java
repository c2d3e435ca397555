package io.imagecustomizer.run.stages;

import io.imagecustomizer.config.DiskLayout;
import io.imagecustomizer.config.Storage;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.image.AttachedPartition;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.resource.TempDir;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import io.imagecustomizer.run.Workspace;
import io.imagecustomizer.storage.NewDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code storage.disks}: a new disk with the config's partitions and filesystems is made in the
 * build folder, the OS files are copied into it from the working copy, /etc/fstab is written from
 * the config (a verity device's filesystem by its device-mapper name), and the new disk becomes the
 * working copy. The boot loader and the initramfs follow the new layout later, in the OS
 * customization (hard reset); verity hash trees are written once the OS is final.
 */
public final class Repartition implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(Repartition.class);

  @Override
  public String name() {
    return "repartition";
  }

  @Override
  public Set<String> applies() {
    return Set.of(
        "storage.disks",
        "storage.bootType",
        "storage.filesystems[].deviceId",
        "storage.filesystems[].type",
        "storage.filesystems[].mountPoint",
        "storage.filesystems[].btrfs");
  }

  @Override
  public boolean isNeeded(RunContext run) {
    return !run.settings().config().storage().disks().isEmpty();
  }

  @Override
  public void run(RunContext run) {
    Storage storage = run.settings().config().storage();
    DiskLayout layout =
        DiskLayout.plan(
            "storage.disks[0]",
            storage.disks().get(0),
            (path, message, hint) -> {
              // The validator has reported these before the run; here they are our bug.
              throw new ImageCustomizerException("internal error: " + path + ": " + message);
            });
    Workspace workspace = run.workspace();
    Path built = workspace.repartitionedImage();
    run.resources().push("repartitioned disk " + built, () -> Files.deleteIfExists(built));
    try (CleanupStack open = new CleanupStack()) {
      OsImage old =
          open.push(
              "image",
              OsImage.open(run.runner(), workspace.rawImage(), workspace.imageMount(), true));
      LOG.info(
          "Building the new disk layout: {} partitions, {} MiB",
          layout.slots().size(),
          layout.size() >> 20);
      NewDisk disk =
          open.push(
              "new disk",
              NewDisk.create(
                  run.runner(),
                  layout,
                  storage.filesystems(),
                  storage.verity(),
                  built,
                  workspace.newImageMount()));
      disk.checkRoom(old.root().hostPath());
      LOG.info("Copying the OS files into the new layout");
      disk.copyFrom(old.root().hostPath());
      copyEsp(run, old, disk);
      disk.writeFstab();
    }
    try {
      Files.move(built, workspace.rawImage(), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot replace the working copy with the new disk", e);
    }
  }

  /** The old ESP's files (shim, grub, their configs) onto the new one, through the build folder. */
  private static void copyEsp(RunContext run, OsImage old, NewDisk disk) {
    Optional<AttachedPartition> from = old.mountedAt("/boot/efi").or(old::esp);
    Optional<NewDisk.Made> to = disk.fatAt("/boot/efi");
    if (from.isEmpty() || to.isEmpty()) {
      return;
    }
    FatImage source = FatImage.at(run.runner(), old.rawFile(), from.get().partition().offset());
    FatImage target = FatImage.at(run.runner(), disk.rawFile(), to.get().slot().start());
    try (TempDir files = TempDir.create(run.workspace().buildDir(), Workspace.espFilesPrefix())) {
      Path file = files.path().resolve("file");
      // list() names each folder before what it holds.
      for (String path : source.list()) {
        if (path.endsWith("/")) {
          target.mkdirs(path.substring(0, path.length() - 1));
        } else {
          source.copyOut(path, file);
          target.copyIn(file, path);
        }
      }
    }
  }
}
