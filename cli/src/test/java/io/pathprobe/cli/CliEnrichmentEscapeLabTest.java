package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.MmdbWriter;
import io.pathprobe.lab.PeeringDbDumpWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 69 item 5: no control character from enrichment data reaches the terminal. GeoIP, ASN and PeeringDB files
 * whose country, city, AS, IX and member names carry ESC colour and OSC title sequences, BEL, CR and LF (what a
 * hostile or broken file holds) enrich a trace through a 3-hop lab; the built jar's text, JSON and mtr report hold
 * none of those characters, only their escaped forms.
 */
@LabTest
@Timeout(120)
class CliEnrichmentEscapeLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(3).inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.AS_GIVEN);
    private static final String EVIL = "\u001b[31mred\u001b]0;title\u0007\r\nline\u009b2J";

    @TempDir
    static Path dir;

    @Test
    void hostileNamesAreEscapedInEveryOutput() throws Exception {
        InetAddress ixHop = LAB.lab().expectedPath().stream().flatMap(Optional::stream).toList().get(1);
        byte[] b = ixHop.getAddress();
        b[3] = (byte) (b[3] & 0xfc);
        String ixPrefix = InetAddress.getByAddress(b).getHostAddress() + "/30";
        Path city = new MmdbWriter("GeoLite2-City")
                .put("198.18.0.0/15", MmdbWriter.city("DE", "Country" + EVIL, "City" + EVIL, 50.11, 8.68, 20))
                .write(dir.resolve("GeoLite2-City.mmdb"));
        Path asn = new MmdbWriter("GeoLite2-ASN").put("198.18.0.0/15", MmdbWriter.asn(64500, "AS" + EVIL))
                .write(dir.resolve("GeoLite2-ASN.mmdb"));
        Path dump = new PeeringDbDumpWriter().exchange(7, "IX" + EVIL, "City" + EVIL, "NL", ixPrefix)
                .member(7, 70, 64501, "Member" + EVIL, ixHop.getHostAddress(), null)
                .write(dir.resolve("peeringdb.json"));
        String dest = LAB.lab().destination().getHostAddress();
        String[] files = {"--no-enrich", "--geoip", city.toString(), "--geoip-mmdb-file", asn.toString(), "--ixp",
            dump.toString()};
        for (String[] command : new String[][] {{"trace", "-q", "1"}, {"trace", "-q", "1", "--json"},
            {"mtr", "-r", "-c", "2", "-i", "0.2"}}) {
            String[] args = new String[command.length + files.length + 1];
            System.arraycopy(command, 0, args, 0, command.length);
            System.arraycopy(files, 0, args, command.length, files.length);
            args[args.length - 1] = dest;
            Run run = CLI.run(args);
            assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
            assertThat(run.out()).as("the names reached the output: %s", String.join(" ", command)).contains("red");
            for (String text : new String[] {run.out(), run.err()}) {
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    boolean control = c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 && c <= 0x9f;
                    assertThat(control).as("character U+%04X at %d of %s:%n%s", (int) c, i,
                            String.join(" ", command), text).isFalse();
                }
            }
            System.out.print(run.out());
        }
    }
}
