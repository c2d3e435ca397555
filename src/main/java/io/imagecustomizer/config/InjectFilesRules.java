package io.imagecustomizer.config;

import static io.imagecustomizer.config.Checks.blank;

import java.util.List;

/** The rules of an inject-files config, upstream's, each problem at its YAML path. */
final class InjectFilesRules {
  private static final List<String> ID_TYPES = List.of("", "uuid", "part-uuid", "part-label");

  private final Problems problems;

  InjectFilesRules(Problems problems) {
    this.problems = problems;
  }

  void check(InjectFilesConfig config) {
    if (!config.previewFeatures().contains(PreviewFeature.INJECT_FILES)) {
      problems.add(
          "previewFeatures",
          "the 'inject-files' feature is a preview",
          "add it to the config: previewFeatures: [inject-files]");
    }
    for (int i = 0; i < config.injectFiles().size(); i++) {
      check("injectFiles[" + i + "]", config.injectFiles().get(i));
    }
  }

  private void check(String at, InjectFilesConfig.InjectFile file) {
    if (blank(file.source())) {
      problems.add(at + ".source", "must be given: the file to write into the partition");
    }
    if (blank(file.destination())) {
      problems.add(at + ".destination", "must be given: the path inside the partition");
    } else if (!file.destination().startsWith("/")
        || file.destination().endsWith("/")
        || List.of(file.destination().split("/")).contains("..")) {
      problems.add(
          at + ".destination",
          "must be an absolute file path inside the partition, without '..'",
          "for example /EFI/BOOT/bootx64.efi");
    }
    InjectFilesConfig.PartitionId partition = file.partition();
    if (partition == null) {
      problems.add(at + ".partition", "must be given: idType and id of the partition");
      return;
    }
    if (partition.idType() != null && !ID_TYPES.contains(partition.idType())) {
      problems.add(
          at + ".partition.idType",
          "invalid value \"" + partition.idType() + "\"",
          "valid values: uuid, part-uuid, part-label (empty means part-uuid)");
    }
    if (blank(partition.id())) {
      problems.add(at + ".partition.id", "must be given: the partition's identifier");
    }
  }
}
