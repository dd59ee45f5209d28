package io.sparkstaging.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonErrorsTest {
  @Test
  void aStatusTheHttpStackRaisedGetsTheCodeTheReadmeDocuments() {
    assertThat(JsonErrors.codeForStatus(404)).isEqualTo("not_found");
    assertThat(JsonErrors.codeForStatus(405)).isEqualTo("method_not_allowed");
    assertThat(JsonErrors.codeForStatus(415)).isEqualTo("unsupported_media_type");
    assertThat(JsonErrors.codeForStatus(431)).isEqualTo("request_header_fields_too_large");
    assertThat(JsonErrors.codeForStatus(500)).isEqualTo("internal_error");
    assertThat(JsonErrors.codeForStatus(599)).isEqualTo("status_599");
  }
}
