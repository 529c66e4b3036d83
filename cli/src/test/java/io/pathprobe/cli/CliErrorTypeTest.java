package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.PathProbeException;
import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.UnknownTargetException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The error document's {@code type} as the CLI writes it ({@link PathProbeCli#errorType}) and as the
 * JSON Schema a user validates it with ({@code docs/schema/error.schema.json}) name the same kinds:
 * every kind the CLI can write is in the schema's enum, and every value of the enum is one the CLI
 * writes (a kind added on one side only fails here).
 */
class CliErrorTypeTest {
    @Test
    void everyErrorTypeTheCliWritesIsTheSchemasAndNoOther() throws Exception {
        Path schema = Path.of(System.getProperty("basedir", "."), "..", "docs", "schema", "error.schema.json");
        JsonNode types = new ObjectMapper().readTree(Files.readString(schema))
                .at("/properties/error/properties/type/enum");
        assertThat(types.isArray()).as("the enum of error.type in %s", schema).isTrue();
        Set<String> inSchema = new LinkedHashSet<>();
        types.forEach(t -> inSchema.add(t.asText()));

        CommandLine cl = new CommandLine(new PathProbeCli());
        List<Throwable> kinds = new ArrayList<>(List.of(
                new CommandLine.ParameterException(cl, "bad argument"),
                new UnknownTargetException("nowhere.invalid", "does not resolve", null),
                new NoTransportAvailableException("trace", Map.of("linux-icmp-dgram", "not here")),
                new ResponsivenessServerException(ResponsivenessServerException.Reason.values()[0],
                        URI.create("https://198.18.0.1/"), "refused", new RuntimeException("x")),
                new IllegalArgumentException("maxTtl 256"),
                new PathProbeException("other"),
                new IllegalStateException("a bug")));
        Set<String> written = new LinkedHashSet<>();
        for (Throwable e : kinds) {
            written.add(PathProbeCli.errorType(e));
        }
        assertThat(written).as("types the CLI writes").isSubsetOf(inSchema);
        assertThat(inSchema).as("types the schema allows").isSubsetOf(written);
    }
}
