package io.sparkstaging.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemTest {
  @Test
  void aStatusTheHttpStackRaisedGetsTheCodeTheReadmeDocuments() {
    assertThat(Problem.codeForStatus(404)).isEqualTo("not_found");
    assertThat(Problem.codeForStatus(405)).isEqualTo("method_not_allowed");
    assertThat(Problem.codeForStatus(415)).isEqualTo("unsupported_media_type");
    assertThat(Problem.codeForStatus(431)).isEqualTo("request_header_fields_too_large");
    assertThat(Problem.codeForStatus(500)).isEqualTo("internal_error");
    assertThat(Problem.codeForStatus(599)).isEqualTo("status_599");
  }
}
