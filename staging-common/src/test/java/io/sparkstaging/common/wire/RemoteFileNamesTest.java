package io.sparkstaging.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteFileNamesTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://repo.example.com/libs/a+b.jar|a+b.jar",
      "https://repo.example.com/libs/a%2Bb.jar|a+b.jar",
      "https://repo.example.com/libs/my%20settings.txt|my settings.txt",
      "https://repo.example.com/libs/data.csv?token=x|data.csv",
      "https://repo.example.com/caf%C3%A9.txt|café.txt"})
  void theLastPathSegmentDecodedAsAPathIs(String uri, String name) {
    assertThat(RemoteFileNames.of(URI.create(uri))).contains(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://repo.example.com/", "https://repo.example.com", "https://repo.example.com/libs/..",
      "https://repo.example.com/libs/%2E%2E", "https://repo.example.com/a%2Fb", "https://repo.example.com/a%5Cb",
      "https://repo.example.com/a%00b"})
  void aPathEndingInNoUsableNameHasNone(String uri) {
    assertThat(RemoteFileNames.of(URI.create(uri))).isEmpty();
  }
}
