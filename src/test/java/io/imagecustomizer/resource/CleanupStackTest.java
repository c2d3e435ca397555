package io.imagecustomizer.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanupStackTest {
  @Test
  void closesInReverseAndCarriesOnPastFailures() {
    List<String> closed = new ArrayList<>();
    CleanupStack stack = new CleanupStack();
    stack.push("loop", () -> closed.add("loop"));
    stack.push(
        "mount",
        () -> {
          closed.add("mount");
          throw new IllegalStateException("busy");
        });
    stack.push("chroot", () -> closed.add("chroot"));

    assertThatThrownBy(stack::close)
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("mount: busy");
    assertThat(closed).containsExactly("chroot", "mount", "loop");
  }

  @Test
  void anInterruptedThreadStillCleansUpAndStaysInterrupted() {
    List<Boolean> interruptedWhileClosing = new ArrayList<>();
    CleanupStack stack = new CleanupStack();
    stack.push("mount", () -> interruptedWhileClosing.add(Thread.currentThread().isInterrupted()));

    Thread.currentThread().interrupt();
    stack.close();

    assertThat(Thread.interrupted()).isTrue();
    assertThat(interruptedWhileClosing).containsExactly(false);
  }

  @Test
  void closingTwiceDoesNothingMore() {
    List<String> closed = new ArrayList<>();
    CleanupStack stack = new CleanupStack();
    stack.push("once", () -> closed.add("once"));

    stack.close();
    stack.close();

    assertThat(closed).containsExactly("once");
  }

  @Test
  void tempDirIsDeletedWithoutFollowingLinks(@TempDir Path dir) throws IOException {
    Path keep = Files.writeString(dir.resolve("keep.txt"), "precious");
    Path inside;
    try (io.imagecustomizer.resource.TempDir temp =
        io.imagecustomizer.resource.TempDir.create(dir, "work")) {
      inside = temp.path();
      Files.createSymbolicLink(inside.resolve("link"), keep);
      Files.createDirectories(inside.resolve("a/b"));
      Files.writeString(inside.resolve("a/b/file"), "x");
    }

    assertThat(inside).doesNotExist();
    assertThat(keep).hasContent("precious");
  }

  @Test
  void mountinfoEscapesAreDecoded() {
    assertThat(MountTable.unescape("/mnt/with\\040space")).isEqualTo("/mnt/with space");
  }
}
