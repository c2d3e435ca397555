package io.imagecustomizer.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SideBySideTest {
  @Test
  void bothJobsRunAtTheSameTime() {
    CountDownLatch started = new CountDownLatch(2);
    Runnable job =
        () -> {
          started.countDown();
          try {
            // each waits for the other: this ends only if both run at once
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        };

    SideBySide.run(job, job);

    assertThat(started.getCount()).isZero();
  }

  @Test
  void aFailureStopsTheOtherAndIsThrownOnlyOnceBothEnded() {
    AtomicBoolean otherEnded = new AtomicBoolean();
    Runnable slow =
        () -> {
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            otherEnded.set(true);
            throw new IllegalStateException("interrupted");
          }
        };
    Runnable failing =
        () -> {
          throw new IllegalArgumentException("dracut failed");
        };

    assertThatThrownBy(() -> SideBySide.run(slow, failing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dracut failed");
    assertThat(otherEnded).isTrue();
  }
}
