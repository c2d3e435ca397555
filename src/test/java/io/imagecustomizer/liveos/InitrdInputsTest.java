package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitrdInputsTest {
  private static final List<String> DRACUT = List.of("dracut", "--kver", "6.1.0");

  @TempDir Path dir;
  private ImageRoot tree;
  private String before;

  @BeforeEach
  void tree() throws IOException {
    write("etc/dracut.conf.d/10-live.conf", "compress=zstd\n");
    write("etc/hostname", "first\n");
    write("usr/lib/modules/6.1.0/kernel/fs/squashfs.ko", "module");
    write("usr/share/image-customizer/history.json", "[]");
    tree = new ImageRoot(dir);
    before = InitrdInputs.of(tree, DRACUT, null);
  }

  @Test
  void aHostnameOrTheImageHistoryIsNotWhatTheInitrdIsBuiltFrom() throws IOException {
    write("etc/hostname", "second\n");
    write("usr/share/image-customizer/history.json", "[{\"run\":2}]");

    assertThat(InitrdInputs.of(tree, DRACUT, null)).isEqualTo(before);
  }

  @Test
  void withASourceDateAFileWrittenNowCountsAsTheSquashfsWillDateIt() throws IOException {
    Instant date = Instant.parse("2023-11-14T22:13:20Z");
    Path file = dir.resolve("usr/local/share/notes.txt");
    write("usr/local/share/notes.txt", "same");
    Files.setLastModifiedTime(file, FileTime.from(date.minusSeconds(60)));
    String older = InitrdInputs.of(tree, DRACUT, date);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    String now = InitrdInputs.of(tree, DRACUT, date);
    Files.setLastModifiedTime(file, FileTime.from(date));

    assertThat(InitrdInputs.of(tree, DRACUT, date)).isEqualTo(now).isNotEqualTo(older);
  }

  @Test
  void aDracutSettingChangedInPlaceIsSeenByItsContent() throws IOException {
    Path conf = dir.resolve("etc/dracut.conf.d/10-live.conf");
    FileTime time = Files.getLastModifiedTime(conf);
    Files.writeString(conf, "compress=xz!!\n");
    Files.setLastModifiedTime(conf, time);

    assertThat(InitrdInputs.of(tree, DRACUT, null)).isNotEqualTo(before);
  }

  @Test
  void aNewModuleAnotherCommandOrDateEachChangeIt() throws IOException {
    assertThat(InitrdInputs.of(tree, List.of("dracut", "--kver", "6.2.0"), null))
        .isNotEqualTo(before);
    assertThat(InitrdInputs.of(tree, DRACUT, Instant.EPOCH)).isNotEqualTo(before);
    write("usr/lib/modules/6.1.0/kernel/fs/erofs.ko", "module");
    assertThat(InitrdInputs.of(tree, DRACUT, null)).isNotEqualTo(before);
  }

  private void write(String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
