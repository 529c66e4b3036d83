package io.pathprobe.agent.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordKeyTest {
    private static final String LINE = "{\"fw\":5020,\"lts\":-1,\"result\":[{\"hop\":1,\"result\":[{\"x\":\"*\"}]}],"
            + "\"pathprobe\":{\"dst_addr\":\"inner\"},\"msm_id\":0,\"dst_addr\":\"198.18.0.10\",\"af\":4,"
            + "\"esc\":\"a\\\"b\\\\c\\u00e9\\n\",\"ok\":true,\"none\":null,\"list\":[1, {\"a\":\"]\"}]}";

    @Test
    void aStringFieldIsItsTextAndOnlyTopLevelFieldsCount() {
        assertThat(RecordKey.of(LINE, "dst_addr")).isEqualTo("198.18.0.10");
        assertThat(RecordKey.of(LINE, "esc")).isEqualTo("a\"b\\c\u00e9\n");
    }

    @Test
    void otherValuesAreTheirJsonText() {
        assertThat(RecordKey.of(LINE, "msm_id")).isEqualTo("0");
        assertThat(RecordKey.of(LINE, "lts")).isEqualTo("-1");
        assertThat(RecordKey.of(LINE, "ok")).isEqualTo("true");
        assertThat(RecordKey.of(LINE, "list")).isEqualTo("[1, {\"a\":\"]\"}]");
        assertThat(RecordKey.of(LINE, "pathprobe")).isEqualTo("{\"dst_addr\":\"inner\"}");
    }

    @Test
    void aMissingOrNullFieldOrABrokenLineHasNoKey() {
        assertThat(RecordKey.of(LINE, "prb")).isNull();
        assertThat(RecordKey.of(LINE, "none")).isNull();
        assertThat(RecordKey.of("{}", "a")).isNull();
        assertThat(RecordKey.of(" { \"a\" : \"x\" } ", "a")).isEqualTo("x");
        assertThat(RecordKey.of("[1]", "a")).isNull();
        assertThat(RecordKey.of("{\"a\":", "a")).isNull();
        assertThat(RecordKey.of("{\"b\":1", "a")).isNull();
        assertThat(RecordKey.of("{\"a\":\"\\u12\"}", "a")).isNull();
        assertThat(RecordKey.of("", "a")).isNull();
    }

    @Test
    void anAtlasRecordIsKeyedByItsDestination() {
        assertThat(RecordKey.of(AtlasRecords.line(5), "dst_addr")).isEqualTo("198.18.0.11");
        assertThat(RecordKey.of(AtlasRecords.line(5), "type")).isEqualTo("ping");
    }
}
