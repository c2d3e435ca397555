package io.imagecustomizer.cli;

import io.imagecustomizer.config.ConfigChain;
import io.imagecustomizer.config.OciImage;
import io.imagecustomizer.config.OciReference;
import io.imagecustomizer.oci.OciPull;
import io.imagecustomizer.oci.Registry;
import io.imagecustomizer.run.ConfigUse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code validate-config}: checks a config without an image and without root. */
@Command(
    name = "validate-config",
    mixinStandardHelpOptions = true,
    description = "Validates a customization config file; needs no image and no root.")
final class ValidateConfigCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ValidateConfigCommand.class);

  @ParentCommand RootCommand root;

  @Option(
      names = "--config-file",
      required = true,
      paramLabel = "FILE",
      description = "The YAML (or JSON) customization config.")
  Path configFile;

  @Option(
      names = "--build-dir",
      paramLabel = "DIR",
      description = "Folder for temporary files (accepted for compatibility).")
  @Nullable Path buildDir;

  @Option(
      names = "--validate-resources",
      split = ",",
      paramLabel = "RESOURCE",
      description =
          "Also check referenced resources: files (local files and folders exist), oci, all.")
  List<String> resources = new ArrayList<>();

  @Override
  public Integer call() {
    root.logging.apply();
    boolean files = false;
    boolean oci = false;
    for (String resource : resources) {
      switch (resource) {
        case "files" -> files = true;
        case "oci" -> oci = true;
        case "all" -> {
          files = true;
          oci = true;
        }
        default ->
            throw new UsageException(
                "--validate-resources takes files, oci or all, not \"" + resource + "\"");
      }
    }
    ConfigChain chain = ConfigChain.load(configFile);
    chain.members().forEach(m -> m.warnings().forEach(w -> LOG.warn("{}: {}", m.file(), w)));
    chain.validate(files);
    // Valid configs, but customize refuses them: say so now rather than at the start of a run.
    ConfigUse.unapplied(chain)
        .forEach(
            (file, problems) ->
                problems.forEach(
                    p -> LOG.warn("customize will refuse this: {}", p.render(file.toString()))));
    OciImage image = chain.merged().config().input().image().oci();
    if (oci && image != null) {
      // the rules checked that it parses
      OciReference reference = OciReference.parse(image.uri());
      Registry.Manifest manifest =
          OciPull.check(
              Registry.of(reference.registry()), reference, OciPull.Platform.of(image.platform()));
      LOG.info("input.image.oci {} is manifest {}", reference, manifest.digest());
    }
    LOG.info("Config validation succeeded");
    return 0;
  }
}
