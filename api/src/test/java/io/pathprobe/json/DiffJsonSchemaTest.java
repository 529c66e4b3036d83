package io.pathprobe.json;

import static io.pathprobe.json.PathProbeJsonSchemaTest.assertValid;
import static io.pathprobe.json.PathProbeJsonSchemaTest.errors;
import static io.pathprobe.testing.Samples.ip;
import static io.pathprobe.testing.Samples.ms;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import io.pathprobe.diff.HopChange;
import io.pathprobe.diff.PathDiff;
import io.pathprobe.diff.TargetDiff;
import io.pathprobe.testing.Samples;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/schema/diff.schema.json against what {@link DiffJson} writes: every kind of change, sets, no change. */
class DiffJsonSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Samples.trace() against itself with one change of every kind, a target on each side only. */
    static PathDiff everyKind() {
        TargetDiff same = PathDiff.of(Samples.trace(), Samples.trace()).targets().get(0);
        PathDiff.Side s = same.before();
        PathDiff.Side six = PathDiff.of(Samples.trace6(), Samples.trace6()).targets().get(0).before();
        List<HopChange> changes = List.of(
                new HopChange.Responders(2, List.of(ip("198.18.1.1")), List.of(ip("198.18.9.1")), List.of(64500L),
                        List.of(64501L)),
                new HopChange.Responders(3, List.of(), List.of(ip("2001:db8::1")), List.of(), List.of()),
                new HopChange.Responders(3, List.of(ip("198.18.2.1")), List.of(), List.of(), List.of()),
                new HopChange.RttShift(2, ms(1.75), ms(30.5), ms(3)),
                new HopChange.Identities(1, List.of(ip("198.18.251.1")),
                        List.of("198.18.251.1 <INC:101,\"ge-0/0/1\",mtu=1500;NODE:198.18.252.1,\"r1\">"),
                        List.of("198.18.251.1 <NODE:198.18.252.5,\"r5\">")),
                new HopChange.LossShift(2, 0, 200, 30, 200, 1.5e-9),
                new HopChange.AsPath(OptionalInt.of(2), List.of(64500L), List.of(64500L, 64501L)),
                new HopChange.AsPath(OptionalInt.empty(), List.of(64500L), List.of(64500L, 64501L)),
                new HopChange.Destination(OptionalInt.of(4), OptionalInt.of(5)),
                new HopChange.Destination(OptionalInt.of(4), OptionalInt.empty()));
        return new PathDiff(List.of(new TargetDiff(s, six, changes), same), List.of(six),
                List.of(new PathDiff.Side("unresolved.lab.example", Optional.empty(), OptionalInt.empty(),
                        new java.util.TreeMap<>())));
    }

    @Test
    void diffDocumentsValidate() throws IOException {
        String doc = DiffJson.write(everyKind());
        assertValid("diff", doc);
        JsonNode j = JSON.readTree(doc);
        assertThat(j.get("changed").asBoolean()).isTrue();
        List<String> kinds = new ArrayList<>();
        j.get("targets").get(0).get("changes").forEach(c -> kinds.add(c.get("kind").asText()));
        assertThat(kinds).containsAll(Arrays.stream(HopChange.Kind.values()).map(Enum::name).toList());
        assertThat(j.get("targets").get(0).get("changes").get(0).get("text").asText())
                .isEqualTo("hop 2: 198.18.1.1 -> 198.18.9.1 (AS64500 -> AS64501)");
        assertThat(j.get("targets").get(0).get("pathBefore")).hasSize(4);
        assertThat(j.get("targets").get(1).get("changed").asBoolean()).isFalse();
        String none = DiffJson.write(PathDiff.of(Samples.trace(), Samples.trace()));
        assertValid("diff", none);
        assertThat(JSON.readTree(none).get("changed").asBoolean()).isFalse();
    }

    @Test
    void aDocumentTheWriterCouldNotHaveWrittenFails() throws IOException {
        String doc = DiffJson.write(everyKind());
        expectFailure(doc, j -> ((ObjectNode) j).put("extra", 1));
        expectFailure(doc, j -> ((ObjectNode) j).put("schemaVersion", DiffJson.SCHEMA_VERSION + 1));
        expectFailure(doc, j -> ((ObjectNode) j.get("targets").get(0)).remove("changes"));
        expectFailure(doc, j -> ((ObjectNode) change(j, 0)).put("kind", "RTT_SHIFT")); // the fields of another kind
        expectFailure(doc, j -> ((ObjectNode) change(j, 3)).remove("boundMs"));
        expectFailure(doc, j -> ((ObjectNode) change(j, 5)).put("pValue", 2));
        expectFailure(doc, j -> ((ArrayNode) change(j, 6).get("after")).add(0));
        expectFailure(doc, j -> ((ObjectNode) change(j, 8)).put("kind", "MOVED"));
        expectFailure(doc, j -> ((ObjectNode) change(j, 4)).remove("addresses"));
        expectFailure(doc, j -> ((ObjectNode) change(j, 4)).put("kind", "RESPONDER_CHANGED"));
    }

    private static JsonNode change(JsonNode doc, int i) {
        return doc.get("targets").get(0).get("changes").get(i);
    }

    private static void expectFailure(String document, Consumer<JsonNode> change) throws IOException {
        JsonNode j = JSON.readTree(document);
        change.accept(j);
        Set<String> messages = errors("diff", j).stream().map(ValidationMessage::getMessage)
                .collect(Collectors.toSet());
        assertThat(messages).as("%s", j).isNotEmpty();
    }
}
