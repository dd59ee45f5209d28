package io.sparkstaging.server.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OwnerParserTest {
  private final OwnerParser parser = new OwnerParser(new ObjectMapper());

  @Test
  void readsTheOriginalClientsOwnerDocument() {
    BundleOwner owner = parser.parse(
        "{\"ownerNamespace\":\"spark-jobs\",\"ownerLabels\":{\"spark-app-selector\":\"spark-1\",\"example.com/team\":\"\"},\"ownerType\":\"Pod\"}");

    assertThat(owner.ownerNamespace()).isEqualTo("spark-jobs");
    assertThat(owner.ownerLabels()).isEqualTo(Map.of("spark-app-selector", "spark-1", "example.com/team", ""));
    assertThat(owner.ownerType()).isEqualTo(BundleOwner.OwnerType.Pod);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not JSON                 | {oops                                                                                  | resourcesOwner",
      "not an object            | [1,2]                                                                                  | resourcesOwner",
      "namespace missing        | {\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Pod\"}                                    | ownerNamespace",
      "namespace upper case     | {\"ownerNamespace\":\"Spark\",\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Pod\"}         | ownerNamespace",
      "namespace path escape    | {\"ownerNamespace\":\"../../etc\",\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Pod\"}     | ownerNamespace",
      "namespace not a string   | {\"ownerNamespace\":7,\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Pod\"}                 | ownerNamespace",
      "namespace too long       | {\"ownerNamespace\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Pod\"} | ownerNamespace",
      "labels missing           | {\"ownerNamespace\":\"ns\",\"ownerType\":\"Pod\"}                                        | ownerLabels",
      "labels empty             | {\"ownerNamespace\":\"ns\",\"ownerLabels\":{},\"ownerType\":\"Pod\"}                     | ownerLabels",
      "labels not an object     | {\"ownerNamespace\":\"ns\",\"ownerLabels\":[\"a\"],\"ownerType\":\"Pod\"}                | ownerLabels",
      "label key invalid        | {\"ownerNamespace\":\"ns\",\"ownerLabels\":{\"-a\":\"b\"},\"ownerType\":\"Pod\"}          | ownerLabels",
      "label key bad prefix     | {\"ownerNamespace\":\"ns\",\"ownerLabels\":{\"Ex_ample/a\":\"b\"},\"ownerType\":\"Pod\"}  | ownerLabels",
      "label value invalid      | {\"ownerNamespace\":\"ns\",\"ownerLabels\":{\"a\":\"b c\"},\"ownerType\":\"Pod\"}         | ownerLabels",
      "label value not a string | {\"ownerNamespace\":\"ns\",\"ownerLabels\":{\"a\":1},\"ownerType\":\"Pod\"}               | ownerLabels",
      "type unknown             | {\"ownerNamespace\":\"ns\",\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Deployment\"}     | ownerType",
      "type missing             | {\"ownerNamespace\":\"ns\",\"ownerLabels\":{\"a\":\"b\"}}                               | ownerType",
      "unknown field            | {\"ownerNamespace\":\"ns\",\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Pod\",\"x\":1}   | x",
  })
  void rejectsWithTheOffendingFieldNamed(String description, String json, String field) {
    assertThatThrownBy(() -> parser.parse(json))
        .isInstanceOfSatisfying(StagingException.class, e -> assertThat(e.problem()).isEqualTo(Problem.BAD_REQUEST))
        .hasMessageStartingWith("invalid owner: " + field + " ");
  }

  @Test
  void jsonThatIsNotSaysWhereAsTheBodiesOfStagingByDigestDo() {
    assertThatThrownBy(() -> parser.parse("{\"ownerNamespace\":\"ns\"")).isInstanceOf(StagingException.class)
        .hasMessage("invalid owner: resourcesOwner ends before its JSON does (line 1, column 23)");
    assertThatThrownBy(() -> parser.parse("{\"ownerNamespace\":ns}")).isInstanceOf(StagingException.class)
        .hasMessageStartingWith("invalid owner: resourcesOwner is not valid JSON near line 1, column 21: Unrecognized token 'ns'");
  }

  @Test
  void rejectsALabelValueLongerThan63Characters() {
    String json = "{\"ownerNamespace\":\"ns\",\"ownerLabels\":{\"a\":\"" + "v".repeat(64) + "\"},\"ownerType\":\"Pod\"}";
    assertThatThrownBy(() -> parser.parse(json)).hasMessageContaining("ownerLabels");
  }
}
