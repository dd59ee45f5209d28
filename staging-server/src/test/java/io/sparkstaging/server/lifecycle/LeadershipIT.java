package io.sparkstaging.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Servers sharing a bucket elect one to run cleanup, through a Lease on fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true, https = false)
class LeadershipIT {
  private static final Leadership.Timing FAST =
      new Leadership.Timing(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200));
  KubernetesClient client;

  private Leadership candidate(String identity) {
    return Leadership.elect(client, "spark-staging", "cleanup", identity, FAST);
  }

  @Test
  void exactlyOneOfThreeLeadsAndAnotherTakesOverWhenItStops() {
    List<Leadership> candidates = Stream.of("a", "b", "c").map(this::candidate).toList();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> leaders(candidates) == 1);
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> leaders(candidates) == 1);
      Lease lease = client.leases().inNamespace("spark-staging").withName("cleanup").get();
      Leadership leader = candidates.stream().filter(Leadership::isLeader).findFirst().orElseThrow();

      leader.close();

      await().atMost(Duration.ofSeconds(10)).until(() -> leaders(candidates) == 1 && !leader.isLeader());
      assertThat(client.leases().inNamespace("spark-staging").withName("cleanup").get().getSpec().getHolderIdentity())
          .isNotEqualTo(lease.getSpec().getHolderIdentity());
    } finally {
      candidates.forEach(Leadership::close);
    }
  }

  @Test
  void aServerAloneAlwaysLeads() {
    try (var alone = Leadership.alone()) {
      assertThat(alone.isLeader()).isTrue();
    }
  }

  private static long leaders(List<Leadership> candidates) {
    return candidates.stream().filter(Leadership::isLeader).count();
  }
}
