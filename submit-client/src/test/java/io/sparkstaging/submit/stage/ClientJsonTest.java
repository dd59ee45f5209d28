package io.sparkstaging.submit.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.wire.BlobQuery;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.BundleReceipt;
import io.sparkstaging.common.wire.ErrorBody;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestCommit;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.ManifestReceipt;
import io.sparkstaging.common.wire.MissingBlobs;
import io.sparkstaging.common.wire.WireFixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client's JSON against the server's fixtures: what it writes is the fixture to the byte, what
 * it reads from a fixture is the record, also when a newer server adds fields, and an answer it
 * cannot use fails with the field's name.
 */
class ClientJsonTest {
  private static final String JAR = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
  private static final String SCRIPT = "0f343b0931126a20f133d67c2b018a3b5f7d6b1f6b4d05d0f1f3b5f8e6a2c9d1";
  private static final String ID = "3f0c2b9e8d7a6f5e4d3c2b1a09f8e7d6";
  private static final String SECRET = "q2V0cmV0LWJ1dC1ub3QtcmVhbGx5LXNlY3JldC0xMjM0NTY";
  private static final BundleOwner OWNER =
      new BundleOwner("spark-jobs", Map.of("spark-app-selector", "spark-0123"), BundleOwner.OwnerType.Pod);
  private static final List<ManifestFile> FILES =
      List.of(new ManifestFile("app.jar", JAR, 6, 0644), new ManifestFile("run.sh", SCRIPT, 12, 0755));

  private interface Reading<T> {
    T from(InputStream in) throws IOException;
  }

  private static InputStream body(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads the fixture, and the fixture with fields a newer server might add, before and after the known ones. */
  private static <T> void readsAsTheRecord(String fixture, Reading<T> reading, T record) throws IOException {
    String json = WireFixtures.json(fixture);
    assertThat(reading.from(body(json))).isEqualTo(record);
    String newer =
        "{\"addedBefore\":[1,{\"a\":null},[true,2.5]]," + json.substring(1, json.length() - 1) + ",\"addedAfter\":{\"b\":\"c\"}}";
    assertThat(reading.from(body(newer))).as("with fields it does not know: %s", newer).isEqualTo(record);
  }

  @Test
  void writesWhatTheServerReadsToTheByte() {
    assertThat(new String(ClientJson.blobQuery(new BlobQuery(List.of(SCRIPT, JAR))), StandardCharsets.UTF_8))
        .isEqualTo(WireFixtures.json("blob-query.json"));
    assertThat(new String(ClientJson.manifestCommit(new ManifestCommit(OWNER, FILES)), StandardCharsets.UTF_8))
        .isEqualTo(WireFixtures.json("manifest-commit.json"));
    assertThat(ClientJson.owner(OWNER)).isEqualTo(WireFixtures.json("bundle-owner.json"));
  }

  @Test
  void readsTheServersAnswersAndSkipsFieldsItDoesNotKnow() throws IOException {
    readsAsTheRecord("missing-blobs.json", ClientJson::missingBlobs, new MissingBlobs(List.of(JAR)));
    readsAsTheRecord("manifest-receipt.json", ClientJson::manifestReceipt,
        new ManifestReceipt(ID, SECRET, 2, 18, new Manifest(FILES).sha256()));
    readsAsTheRecord("bundle-receipt.json", ClientJson::bundleReceipt, new BundleReceipt(ID, SECRET, 6, JAR));
    readsAsTheRecord("error.json", ClientJson::errorBody,
        new ErrorBody("payload_too_large", "the bundle is larger than the 4 GiB this server accepts"));
  }

  @Test
  void aRefusalWithoutItsFieldsIsStillARefusal() throws IOException {
    assertThat(ClientJson.errorBody(body("{}"))).isEqualTo(new ErrorBody(null, null));
    assertThat(ClientJson.errorBody(body("{\"error\":null,\"message\":\"gone\"}"))).isEqualTo(new ErrorBody(null, "gone"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|',
      textBlock = """
          {"resourceId":"a","resourceSecret":"b","files":2,"manifestSha256":"c"}              | the answer's "bytes" should be a whole number, but is absent
          {"resourceId":"a","resourceSecret":"b","files":2,"bytes":"18","manifestSha256":"c"} | the answer's "bytes" should be a whole number, but is a string
          {"resourceId":"a","resourceSecret":"b","files":2,"bytes":18.5,"manifestSha256":"c"} | the answer's "bytes" should be a whole number, but is 18.5
          {"resourceId":"a","resourceSecret":"b","files":2,"bytes":1e3,"manifestSha256":"c"}  | the answer's "bytes" should be a whole number, but is 1E+3
          {"resourceId":"a","resourceSecret":"b","files":2,"bytes":99999999999999999999,"manifestSha256":"c"} | the answer's "bytes" should be a whole number, but is 99999999999999999999
          {"resourceId":"a","resourceSecret":"b","files":2147483648,"bytes":1,"manifestSha256":"c"} | the answer's "files" should be a 32-bit whole number, but is 2147483648
          {"resourceId":null,"resourceSecret":"b","files":2,"bytes":1,"manifestSha256":"c"}   | the answer's "resourceId" should be a string, but is null
          {"resourceId":["a"],"resourceSecret":"b","files":2,"bytes":1,"manifestSha256":"c"}  | the answer's "resourceId" should be a string, but is an array
          {"resourceId":"a","resourceSecret":{},"files":2,"bytes":1,"manifestSha256":"c"}     | the answer's "resourceSecret" should be a string, but is an object
          {"resourceId":"a","resourceSecret":"b","files":true,"bytes":1,"manifestSha256":"c"} | the answer's "files" should be a whole number, but is true
          ["a"]                                                                               | the answer is not a JSON object
          {"resourceId":"a"} {}                                                               | the answer goes on after its JSON object
          """)
  void aReceiptItCannotUseFailsWithTheFieldsName(String json, String message) {
    assertThatThrownBy(() -> ClientJson.manifestReceipt(body(json))).isInstanceOf(IOException.class).hasMessage(message);
  }

  @Test
  void theListOfMissingFilesMustBeAnArrayOfStrings() {
    assertThatThrownBy(() -> ClientJson.missingBlobs(body("{\"missing\":[\"" + JAR + "\",7]}"))).isInstanceOf(IOException.class)
        .hasMessage("the answer's \"missing\" should be an array of strings, but is an array");
    assertThatThrownBy(() -> ClientJson.missingBlobs(body("{\"missing\":\"" + JAR + "\"}"))).isInstanceOf(IOException.class)
        .hasMessage("the answer's \"missing\" should be an array of strings, but is a string");
  }

  @Test
  void anAnswerCutShortOrNotJsonFailsAsIo() {
    assertThatThrownBy(() -> ClientJson.missingBlobs(body("{\"missing\":[\"" + JAR))).isInstanceOf(IOException.class)
        .hasMessageContaining("end-of-input");
    assertThatThrownBy(() -> ClientJson.missingBlobs(body(""))).isInstanceOf(IOException.class)
        .hasMessage("the answer is not a JSON object");
    assertThatThrownBy(() -> ClientJson.errorBody(body("<html>Bad Gateway</html>"))).isInstanceOf(IOException.class)
        .hasMessageContaining("Unexpected character ('<'");
  }

  @Test
  void anObjectKeepsItsFieldsOrderAndEscapesWhatJsonMust() {
    var fields = new LinkedHashMap<String, Object>();
    fields.put("resourceId", ID);
    fields.put("size", 314_602_132L);
    fields.put("files", 100);
    fields.put("names", List.of("a \"quoted\" name.jar", "tab\there.txt", "ünïcode.txt"));
    assertThat(ClientJson.object(fields)).isEqualTo(
        "{\"resourceId\":\"" + ID
            + "\",\"size\":314602132,\"files\":100,\"names\":[\"a \\\"quoted\\\" name.jar\",\"tab\\there.txt\",\"ünïcode.txt\"]}");
  }
}
