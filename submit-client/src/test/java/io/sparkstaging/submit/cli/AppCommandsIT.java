package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.sparkstaging.submit.SubmitClientMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code status}, {@code logs} and {@code kill} against fabric8's mock API server. */
@EnableKubernetesMockClient(crud = true, https = false)
class AppCommandsIT {
  private static final String NAMESPACE = "spark-jobs";
  private static final String APP_ID = "spark-0123456789abcdef0123456789abcdef";

  KubernetesMockServer server;
  KubernetesClient client;

  private record Run(int code, String out, String err) {}

  private Run run(String command, String app, String... extra) {
    var args = new ArrayList<>(List.of(command, "--master", "k8s://" + client.getConfiguration().getMasterUrl(), "--namespace", NAMESPACE));
    args.addAll(List.of(extra));
    args.add(app);
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = SubmitClientMain.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void driverPod() {
    Pod driver = new PodBuilder().withNewMetadata().withName("word-count-1a2b3c-driver").withNamespace(NAMESPACE)
        .addToLabels("spark-role", "driver").addToLabels("spark-app-selector", APP_ID).addToLabels("spark-app-name", "word-count")
        .endMetadata()
        .withNewSpec().addNewContainer().withName("spark-kubernetes-driver").withImage("apache/spark:3.5.6").endContainer().endSpec()
        .withNewStatus().withPhase("Running")
        .addNewContainerStatus().withName("spark-kubernetes-driver").withNewState().withNewRunning().endRunning().endState()
        .endContainerStatus()
        .endStatus().build();
    client.pods().inNamespace(NAMESPACE).resource(driver).create();
  }

  @Test
  void statusFindsTheDriverByIdOrName() {
    for (String app : List.of(APP_ID, "word-count")) {
      Run run = run("status", app);

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).contains("driver pod:  spark-jobs/word-count-1a2b3c-driver").contains("phase:       Running")
          .contains("container:   running");
    }
  }

  @Test
  void logsPrintsTheDriversLog() {
    server.expect().get()
        .withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/word-count-1a2b3c-driver/log?pretty=false&container=spark-kubernetes-driver")
        .andReturn(200, "Pi is roughly 3.14\n").once();

    Run run = run("logs", "word-count");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("Pi is roughly 3.14\n");
  }

  @Test
  void logsFollowStreamsUntilTheLogEnds() {
    server.expect().get()
        .withPath("/api/v1/namespaces/" + NAMESPACE
            + "/pods/word-count-1a2b3c-driver/log?pretty=false&container=spark-kubernetes-driver&follow=true")
        .andReturn(200, "starting\nfinished\n").once();

    Run run = run("logs", "word-count", "-f");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("starting\nfinished\n");
  }

  @Test
  void killDeletesTheDriverPod() {
    Run run = run("kill", APP_ID);

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
  }

  @Test
  void anUnknownApplicationIsExitCode6() {
    Run run = run("status", "no-such-app");

    assertThat(run.code()).isEqualTo(AppCommands.NOT_FOUND);
    assertThat(run.err()).contains("no application 'no-such-app' in namespace spark-jobs");
  }
}
