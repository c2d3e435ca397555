package io.imagecustomizer.customize;

import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.process.ProcessRunner;
import java.nio.file.Path;

/**
 * The disk image under customization, for the steps that work on more than the OS tree (the boot
 * loader reset reads its partitions and writes its ESP with host tools).
 *
 * @param scratch a build-folder file those steps may write and delete
 */
public record BootDisk(OsImage image, ProcessRunner runner, Path scratch) {}
