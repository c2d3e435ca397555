package io.imagecustomizer.run.stages;

import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.run.Publish;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import java.util.List;
import java.util.Set;

/**
 * Writes the customized working copy as a COSI file or a bare-metal image: filesystems shrunk,
 * partitions compressed, {@code metadata.json} first ({@link CosiWriter}).
 */
public final class WriteCosi implements RunStage {
  @Override
  public String name() {
    return "write cosi";
  }

  @Override
  public Set<String> applies() {
    return Set.of("output.image.path", "output.image.format", "output.image.cosi");
  }

  @Override
  public void run(RunContext run) {
    RunSettings settings = run.settings();
    CosiWriter writer = new CosiWriter(run.runner(), run.workspace());
    run.published(
        List.of(
            Publish.file(
                settings.outputPath(),
                partial ->
                    writer.write(
                        run.workspace().rawImage(),
                        partial,
                        settings.outputFormat(),
                        settings.cosiCompressionLevel(),
                        false))));
  }
}
