package io.imagecustomizer.run.stages;

import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import io.imagecustomizer.run.Workspace;
import io.imagecustomizer.storage.UuidReset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code storage.resetPartitionsUuidsType: reset-all}: new UUIDs for every partition and filesystem
 * of the working copy, and the image's fstab pointed at them. The boot loader follows in the OS
 * customization (the validator insists on a hard reset).
 */
public final class ResetUuids implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(ResetUuids.class);

  @Override
  public String name() {
    return "reset uuids";
  }

  @Override
  public Set<String> applies() {
    return Set.of("storage.resetPartitionsUuidsType");
  }

  @Override
  public boolean isNeeded(RunContext run) {
    return run.settings().config().storage().resetPartitionsUuidsType() != null;
  }

  @Override
  public void run(RunContext run) {
    Workspace workspace = run.workspace();
    Map<String, String> renamed = UuidReset.resetAll(run.runner(), workspace.rawImage());
    LOG.info("Gave {} partitions and filesystems new UUIDs", renamed.size());
    try (OsImage image =
        OsImage.open(run.runner(), workspace.rawImage(), workspace.imageMount(), false)) {
      String fstab = image.root().readString("/etc/fstab");
      image
          .root()
          .write(
              "/etc/fstab",
              UuidReset.rewriteFstab(fstab, renamed).getBytes(StandardCharsets.UTF_8),
              null);
    }
  }
}
