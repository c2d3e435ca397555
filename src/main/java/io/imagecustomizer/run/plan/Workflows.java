package io.imagecustomizer.run.plan;

import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.customize.Pipeline;
import io.imagecustomizer.run.RunStage;
import io.imagecustomizer.run.Workflow;
import io.imagecustomizer.run.stages.CheckInput;
import io.imagecustomizer.run.stages.CheckPartitions;
import io.imagecustomizer.run.stages.CheckSpace;
import io.imagecustomizer.run.stages.ConvertToRaw;
import io.imagecustomizer.run.stages.CustomizeOs;
import io.imagecustomizer.run.stages.ExtractIso;
import io.imagecustomizer.run.stages.HashVerity;
import io.imagecustomizer.run.stages.PrepareBuildDir;
import io.imagecustomizer.run.stages.ReadBootLayout;
import io.imagecustomizer.run.stages.Repartition;
import io.imagecustomizer.run.stages.ResetUuids;
import io.imagecustomizer.run.stages.ReuseOsImage;
import io.imagecustomizer.run.stages.UnpackOs;
import io.imagecustomizer.run.stages.WriteArtifacts;
import io.imagecustomizer.run.stages.WriteCosi;
import io.imagecustomizer.run.stages.WriteDiskImage;
import io.imagecustomizer.run.stages.WriteLiveOs;
import java.util.ArrayList;
import java.util.List;

/**
 * Every run kind as its list of stages, in upstream's order. Disk inputs share their first stages
 * and differ in the last ones; an ISO input has its own road to the same Live OS writer. A new
 * capability is a new stage class and one line here.
 */
public final class Workflows {
  private Workflows() {}

  /** The run kind for these settings. */
  public static Workflow of(RunSettings settings, Pipeline pipeline) {
    if (settings.inputIsIso()) {
      return isoToLiveOs(pipeline);
    }
    if (settings.outputFormat().isCosi()) {
      return diskToCosi(pipeline);
    }
    return settings.outputFormat().isLiveOs() ? diskToLiveOs(pipeline) : diskToDisk(pipeline);
  }

  /** Every run kind, for checks over all of them. */
  public static List<Workflow> all(Pipeline pipeline) {
    return List.of(
        diskToDisk(pipeline), diskToCosi(pipeline), diskToLiveOs(pipeline), isoToLiveOs(pipeline));
  }

  public static Workflow diskToDisk(Pipeline pipeline) {
    return new Workflow(
        "disk to disk",
        concat(
            customizedDisk(pipeline),
            List.of(new HashVerity(), new WriteArtifacts(), new WriteDiskImage())));
  }

  /** cosi and baremetal-image: the working copy's filesystems shrunk, compressed into a tar. */
  public static Workflow diskToCosi(Pipeline pipeline) {
    return new Workflow(
        "disk to COSI",
        concat(customizedDisk(pipeline), List.of(new WriteArtifacts(), new WriteCosi())));
  }

  public static Workflow diskToLiveOs(Pipeline pipeline) {
    return new Workflow(
        "disk to Live OS",
        concat(customizedDisk(pipeline), List.of(new ReadBootLayout(), new WriteLiveOs())));
  }

  /** What every disk input goes through before its output is written. */
  private static List<RunStage> customizedDisk(Pipeline pipeline) {
    return List.of(
        new PrepareBuildDir(),
        new CheckInput(),
        new CheckSpace(),
        new ConvertToRaw(),
        new CheckPartitions(),
        new Repartition(),
        new ResetUuids(),
        CustomizeOs.inWorkingCopy(pipeline));
  }

  private static List<RunStage> concat(List<RunStage> first, List<RunStage> last) {
    List<RunStage> all = new ArrayList<>(first);
    all.addAll(last);
    return all;
  }

  public static Workflow isoToLiveOs(Pipeline pipeline) {
    return new Workflow(
        "ISO to Live OS",
        List.of(
            new PrepareBuildDir(),
            new CheckInput(),
            new CheckSpace(),
            new ExtractIso(),
            new UnpackOs(),
            CustomizeOs.inUnpackedTree(pipeline),
            new ReuseOsImage(),
            new WriteLiveOs()));
  }
}
