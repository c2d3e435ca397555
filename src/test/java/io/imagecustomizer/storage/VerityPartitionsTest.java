package io.imagecustomizer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.config.Disk;
import io.imagecustomizer.config.Storage;
import io.imagecustomizer.config.Verity;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.partition.Partition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerityPartitionsTest {
  private static final List<Partition> GPT =
      List.of(partition(1, "esp"), partition(2, "usr"), partition(3, "usrhash"), partition(4, ""));

  private static Partition partition(int number, String label) {
    return new Partition(number, number << 20, 1 << 20, "type", "uuid-" + number, label);
  }

  private static Verity.IdentifiedPartition label(String id) {
    return new Verity.IdentifiedPartition(Verity.IdType.PART_LABEL, id);
  }

  private static Storage existing(String data, String hash) {
    Verity verity =
        new Verity(
            "verityusr", "usr", null, label(data), null, null, label(hash), null, null, null);
    return new Storage(null, null, List.of(), List.of(), List.of(verity), null);
  }

  @Test
  void findsExistingPartitionsByTheirLabel() {
    Storage storage = existing("usr", "usrhash");

    assertThat(VerityPartitions.of(storage, GPT))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.data()).isEqualTo(2);
              assertThat(n.hash()).isEqualTo(3);
            });
    assertThat(VerityPartitions.mapped(VerityPartitions.devices(storage, GPT, List.of())))
        .isEqualTo(Map.of("/dev/mapper/usr", 2));
  }

  @Test
  void findsNewPartitionsByTheirPlaceInTheConfig() {
    Verity verity = new Verity("v", "root", "root", null, null, "hash", null, null, null, null);
    List<io.imagecustomizer.config.Partition> partitions =
        List.of(
            new io.imagecustomizer.config.Partition("esp", null, null, null, "64M", "esp"),
            new io.imagecustomizer.config.Partition("root", null, null, null, "1G", null),
            new io.imagecustomizer.config.Partition("hash", null, null, null, "16M", null));
    Storage storage =
        new Storage(
            null,
            null,
            List.of(new Disk(null, "2G", partitions)),
            List.of(),
            List.of(verity),
            null);

    assertThat(VerityPartitions.mapped(VerityPartitions.devices(storage, GPT, List.of())))
        .isEqualTo(Map.of("/dev/mapper/root", 2));
  }

  @Test
  void aLabelNoPartitionHasIsNamedWithItsField() {
    assertThatThrownBy(() -> VerityPartitions.of(existing("usr", "roothash"), GPT))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessage(
            "storage.verity[0].hashDevice: no partitions of the image have the label \"roothash\"");
  }
}
