package io.sparkstaging.init.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.init.fetch.FetchFailure;
import io.sparkstaging.init.verify.ContentRejected;
import java.io.IOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class InitRunTest {
  @Test
  void durationsArePrintedInSecondsToTwoDecimalsWhateverTheLocale() {
    assertThat(InitRun.seconds(0)).isEqualTo("0.00");
    assertThat(InitRun.seconds(5_000_000)).isEqualTo("0.01");
    assertThat(InitRun.seconds(99_600_000)).isEqualTo("0.10");
    assertThat(InitRun.seconds(1_234_000_000)).isEqualTo("1.23");
    assertThat(InitRun.seconds(61_999_000_000L)).isEqualTo("62.00");
  }

  @Test
  void eachCauseHasItsDocumentedExitCode() {
    assertThat(InitRun.exitCodeFor(new FetchFailure(FetchFailure.Kind.TIMEOUT, "late"))).isEqualTo(InitRun.TIMED_OUT);
    assertThat(InitRun.exitCodeFor(new ContentRejected("bad archive"))).isEqualTo(InitRun.REJECTED);
    assertThat(InitRun.exitCodeFor(new FileSystemException("/var/spark-data", null, "No space left on device")))
        .isEqualTo(InitRun.LOCAL_IO);
    assertThat(InitRun.exitCodeFor(new IOException("disk"))).isEqualTo(InitRun.LOCAL_IO);
    // Neither the bundle's fault nor the disk's.
    assertThat(InitRun.exitCodeFor(new OutOfMemoryError("Java heap space"))).isEqualTo(InitRun.INTERNAL);
    assertThat(InitRun.exitCodeFor(new IllegalStateException("bug"))).isEqualTo(InitRun.INTERNAL);
  }
}
