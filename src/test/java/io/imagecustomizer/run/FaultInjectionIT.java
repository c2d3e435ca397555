package io.imagecustomizer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.customize.steps.StandardSteps;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.run.plan.Workflows;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT or SIGTERM (in turns) and a full build dir injected while each stage of a disk -> ISO run
 * runs (the stage read from the run's --timestamp-file). After each: no loop device, no mount, no
 * process of ours, no partial output, the input unchanged, and the next run in the same build dir
 * succeeds. The stage x fault table, with the stage each fault really landed in, goes to the test
 * output and target/fault-table.txt: a stage shorter than the polling and the signal's way into the
 * JVM is missed and the fault lands in a later stage, which the table says ("hit: no") rather than
 * hides. A full disk lands where the run first writes after it.
 */
class FaultInjectionIT {
  private static final long POLL_MILLIS = 10;

  @BeforeAll
  static void needsRootAndTheJar() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
    assumeTrue(Files.exists(Runs.JAR), "needs the packaged jar");
  }

  enum Fault {
    SIGINT,
    SIGTERM,
    ENOSPC
  }

  record Cell(
      String stage,
      Fault fault,
      String landed,
      int exit,
      String firstError,
      List<String> leftovers,
      double seconds) {}

  @Test
  void everyStageSurvivesEveryFault(@TempDir Path dir) throws Exception {
    Path input = TestImages.base("qcow2");
    String inputSum = sha256(input);
    Path signalBuild = dir.resolve("build");
    Path smallBuild = dir.resolve("small");
    // A filesystem of its own for the build dir, big enough for the run, to fill at will.
    Runs.ext4(dir.resolve("small.img"), smallBuild, "4G");
    List<Cell> cells = new ArrayList<>();
    try {
      List<String> stages = Workflows.diskToLiveOs(StandardSteps.pipeline()).stageNames();
      int spaceChecked = stages.indexOf("check space");
      for (int at = 0; at < stages.size(); at++) {
        String stage = stages.get(at);
        // Both signals reach the run through the same shutdown path: taking turns covers each
        // signal and every stage at half the cost of both everywhere.
        Fault signal = at % 2 == 0 ? Fault.SIGINT : Fault.SIGTERM;
        cells.add(inject(dir, signalBuild, input, inputSum, stages, stage, signal));
        // A disk filled before the space check is caught by it, whichever stage it came in.
        if (at >= spaceChecked) {
          cells.add(inject(dir, smallBuild, input, inputSum, stages, stage, Fault.ENOSPC));
        }
      }
    } finally {
      System.out.println(table(cells));
      Files.writeString(Path.of("target/fault-table.txt"), table(cells));
      Runs.unmount(smallBuild);
    }
    assertThat(cells)
        .allSatisfy(cell -> assertThat(cell.leftovers()).as(cell.toString()).isEmpty());
    assertThat(cells).allSatisfy(cell -> assertThat(cell.exit()).as(cell.toString()).isNotZero());
  }

  private static Cell inject(
      Path dir,
      Path build,
      Path input,
      String inputSum,
      List<String> stages,
      String stage,
      Fault fault)
      throws Exception {
    Path output = dir.resolve("out/image.iso");
    Path timestamps = dir.resolve("ts-" + stage.replace(' ', '-') + "-" + fault + ".jsonl");
    Path log = dir.resolve("run.log");
    long start = System.nanoTime();
    Process run =
        Runs.start(
            List.of(),
            log,
            "--build-dir",
            build.toString(),
            "--image-file",
            input.toString(),
            "--config-file",
            Runs.HOSTNAME.toString(),
            "--output-image-format",
            "iso",
            "--output-image-file",
            output.toString(),
            "--timestamp-file",
            timestamps.toString());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (run.isAlive()
        && !Runs.running(timestamps).equals(Optional.of(stage))
        && !passed(timestamps, stage)
        && !laterStarted(timestamps, stages, stage)
        && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MILLIS);
    }
    String landed;
    switch (fault) {
      case SIGINT -> {
        // The run may have ended by now; then there is no one to signal and the table says so.
        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
        landed = Runs.running(timestamps).orElse("between stages");
      }
      case SIGTERM -> {
        run.destroy();
        landed = Runs.running(timestamps).orElse("between stages");
      }
      default -> {
        Runs.fill(build);
        landed = null;
      }
    }
    if (!run.waitFor(3, TimeUnit.MINUTES)) {
      run.destroyForcibly().waitFor();
    }
    if (landed == null) {
      // A full disk shows where the first write after it failed: the stage the run ended in.
      List<Runs.Stage> seen = Runs.stages(timestamps);
      landed = seen.isEmpty() ? "before any stage" : seen.get(seen.size() - 1).name();
    }
    String text = Files.readString(log);
    String firstError =
        text.lines().filter(l -> l.startsWith("error:")).findFirst().orElse("(no error line)");
    List<String> leftovers = leftovers(build, output, input, inputSum);
    if (fault == Fault.ENOSPC
        && !firstError.equals("error: no space left on device: " + build + " is full")
        && !firstError.startsWith("error: not enough space in " + build + ": ")) {
      leftovers.add("the first error line does not name the full build dir");
    }
    if (fault == Fault.ENOSPC) {
      Runs.unfill(build);
    }
    CliRun again = CliRun.customize(build, input, Runs.HOSTNAME, "raw", dir.resolve("again.raw"));
    if (again.code() != 0) {
      leftovers.add("next run failed: " + again.err());
    }
    Files.deleteIfExists(dir.resolve("again.raw"));
    return new Cell(
        stage,
        fault,
        landed,
        run.exitValue(),
        firstError,
        leftovers,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * A stage this run does not need (repartition without a storage section) never starts: the fault
   * then lands in the next one, and the table says where.
   */
  private static boolean laterStarted(Path timestamps, List<String> stages, String stage)
      throws IOException {
    List<String> later = stages.subList(stages.indexOf(stage) + 1, stages.size());
    return Runs.stages(timestamps).stream().anyMatch(s -> later.contains(s.name()));
  }

  /** Whether {@code stage} has already ended, so the fault can only land later. */
  private static boolean passed(Path timestamps, String stage) throws IOException {
    return Runs.stages(timestamps).stream().anyMatch(s -> s.name().equals(stage) && s.ended());
  }

  private static List<String> leftovers(Path build, Path output, Path input, String inputSum)
      throws Exception {
    List<String> found = new ArrayList<>();
    for (Path mount : MountTable.mountPointsUnder(build)) {
      if (!mount.equals(build)) {
        found.add("mount " + mount);
      }
    }
    List<String> loops = LoopDevice.backedBy(new SystemProcessRunner(), build);
    if (!loops.isEmpty()) {
      // Tell a device never detached from one the kernel lets go of a moment later.
      Thread.sleep(5000);
      List<String> later = LoopDevice.backedBy(new SystemProcessRunner(), build);
      loops.forEach(d -> found.add("loop " + d + (later.contains(d) ? "" : " (gone 5 s later)")));
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<String> processes = Runs.processesNaming(build.toString());
    while (!processes.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(100);
      processes = Runs.processesNaming(build.toString());
    }
    processes.forEach(p -> found.add("process " + p));
    for (Path out : List.of(output, Workspace.partial(output))) {
      if (Files.exists(out)) {
        found.add("output " + out);
      }
    }
    if (!sha256(input).equals(inputSum)) {
      found.add("input changed");
    }
    return found;
  }

  private static String sha256(Path file) {
    return Runs.run("sha256sum", file.toString()).split(" ")[0];
  }

  private static String table(List<Cell> cells) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            "%-18s %-8s %-18s %-4s %4s %6s  %-6s %s%n",
            "stage", "fault", "landed in", "hit", "exit", "secs", "clean", "first error line"));
    for (Cell cell : cells) {
      text.append(
          String.format(
              "%-18s %-8s %-18s %-4s %4d %6.1f  %-6s %s%n",
              cell.stage(),
              cell.fault(),
              cell.landed(),
              cell.landed().equals(cell.stage()) ? "yes" : "no",
              cell.exit(),
              cell.seconds(),
              cell.leftovers().isEmpty() ? "yes" : "NO",
              cell.leftovers().isEmpty()
                  ? cell.firstError()
                  : cell.firstError() + " | left: " + cell.leftovers()));
    }
    return text.toString();
  }
}
