package io.imagecustomizer.run.stages;

import io.imagecustomizer.boot.MainGrubConfig;
import io.imagecustomizer.config.Storage;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.partition.GptReader;
import io.imagecustomizer.image.partition.Partition;
import io.imagecustomizer.process.ProcessFailedException;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import io.imagecustomizer.run.Workspace;
import io.imagecustomizer.storage.InputVerity;
import io.imagecustomizer.storage.VerityPartitions;
import io.imagecustomizer.storage.VeritySetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, on the fresh working copy and before the OS is touched, that the input's partition table
 * can be read, that every partition lies inside the disk, that one root filesystem is found, that
 * its verity devices, if it has any, are found for {@code storage.reinitializeVerity} to rebuild
 * (their trees would go stale otherwise), and that the existing partitions {@code storage.verity}
 * names can become verity devices. The errors name the user's input file: the working copy is ours
 * and means nothing to the user.
 */
public final class CheckPartitions implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(CheckPartitions.class);

  @Override
  public String name() {
    return "check partitions";
  }

  @Override
  public Set<String> applies() {
    return Set.of();
  }

  @Override
  public void run(RunContext run) {
    Path input = run.settings().inputImage();
    Workspace workspace = run.workspace();
    Path raw = workspace.rawImage();
    long diskSize = size(raw);
    try {
      for (Partition partition : GptReader.read(raw)) {
        long end = partition.offset() + partition.size();
        if (end > diskSize) {
          throw CheckInput.damaged(
              input,
              "it is truncated: partition "
                  + partition.number()
                  + " ends at byte "
                  + end
                  + " but the disk has "
                  + diskSize);
        }
      }
    } catch (GptReader.UnreadableException e) {
      throw CheckInput.damaged(
          input, "its partition table cannot be read: " + e.reason(), e.hint());
    }
    try (OsImage image = OsImage.open(run.runner(), raw, workspace.imageMount(), true)) {
      // Opening it is the check: the root filesystem found and the rest of its fstab mounted.
      LOG.info("{}: {} partitions, root filesystem found", input, image.partitions().size());
      Storage storage = run.settings().config().storage();
      run.inputVerity(
          InputVerity.check(
              image,
              storage,
              () ->
                  MainGrubConfig.read(image.root(), "find the image's verity devices")
                      .config()
                      .kernelArgs()
                      .get(0)));
      if (!storage.verity().isEmpty() || !run.inputVerity().isEmpty()) {
        VeritySetup.requireTools();
      }
      if (storage.verity().stream().anyMatch(v -> v.dataDevice() != null)) {
        VerityPartitions.checkExisting(image, storage);
      }
    } catch (ProcessFailedException e) {
      if (!e.command().program().equals("mount")) {
        throw e;
      }
      throw CheckInput.damaged(input, "a filesystem in it cannot be mounted: " + firstLine(e));
    } catch (ImageCustomizerException e) {
      // OsImage's "found no root filesystem" and "found N partitions holding /etc/fstab".
      if (!e.getMessage().startsWith("found ")) {
        throw e;
      }
      throw CheckInput.damaged(input, firstLine(e));
    }
  }

  private static String firstLine(Exception e) {
    return e.getMessage().lines().findFirst().orElse("");
  }

  private static long size(Path raw) {
    try {
      return Files.size(raw);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read the working copy " + raw, e);
    }
  }
}
