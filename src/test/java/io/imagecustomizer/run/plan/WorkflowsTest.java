package io.imagecustomizer.run.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.customize.steps.StandardSteps;
import org.junit.jupiter.api.Test;

/** The run kinds in upstream's order; disk inputs share their first stages. */
class WorkflowsTest {
  private static final String[] DISK_FIRST = {
    "prepare build dir",
    "check input",
    "check space",
    "convert to raw",
    "check partitions",
    "repartition",
    "reset uuids",
    "customize os"
  };

  @Test
  void diskRunsShareTheirFirstStagesAndDifferAtTheEnd() {
    assertThat(Workflows.diskToDisk(StandardSteps.pipeline()).stageNames())
        .startsWith(DISK_FIRST)
        .endsWith("customize os", "verity", "write artifacts", "write disk image")
        .hasSize(DISK_FIRST.length + 3);
    assertThat(Workflows.diskToCosi(StandardSteps.pipeline()).stageNames())
        .startsWith(DISK_FIRST)
        .endsWith("customize os", "write artifacts", "write cosi")
        .hasSize(DISK_FIRST.length + 2);
    assertThat(Workflows.diskToLiveOs(StandardSteps.pipeline()).stageNames())
        .startsWith(DISK_FIRST)
        .endsWith("customize os", "read boot layout", "write live os")
        .hasSize(DISK_FIRST.length + 2);
  }

  @Test
  void anIsoInputHasItsOwnRoadToTheLiveOsWriter() {
    assertThat(Workflows.isoToLiveOs(StandardSteps.pipeline()).stageNames())
        .containsExactly(
            "prepare build dir",
            "check input",
            "check space",
            "extract iso",
            "unpack os",
            "customize os",
            "reuse os image",
            "write live os");
  }
}
