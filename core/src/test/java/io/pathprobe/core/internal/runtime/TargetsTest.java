package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.UnknownTargetException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** What is a target before anything is looked up: literals, names, and what is neither. */
class TargetsTest {

    @Test
    void aUrlIsRefusedNamingItsHostBeforeAnyLookup() {
        assertThatThrownBy(() -> Targets.literal("https://mirror.lab.example/debian/"))
                .isInstanceOfSatisfying(UnknownTargetException.class, e -> {
                    assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.NOT_A_HOST);
                    assertThat(e.target()).isEqualTo("https://mirror.lab.example/debian/");
                }).hasMessage("'https://mirror.lab.example/debian/' is a URL, not a host name or address: give its host, "
                        + "'mirror.lab.example'");
        assertThatThrownBy(() -> Targets.literal("http://[2001:db8::1]:8080/"))
                .hasMessageEndingWith("give its host, '2001:db8::1'");
        assertThatThrownBy(() -> Targets.literal("http://"))
                .hasMessage("'http://' is a URL, not a host name or address");
    }

    @Test
    void pathsSpacesAndAtSignsAreNotHosts() {
        for (String t : new String[] {"mirror.lab.example/debian", "user@host.lab.example", "two words", " ", "a?b"}) {
            assertThatThrownBy(() -> Targets.literal(t)).as(t).isInstanceOfSatisfying(UnknownTargetException.class,
                    e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.NOT_A_HOST));
        }
    }

    @Test
    void literalsAndNamesStillPass() throws Exception {
        assertThat(Targets.literal("198.18.0.9")).isEqualTo(InetAddress.getByName("198.18.0.9"));
        assertThat(Targets.literal("[2001:db8::1]")).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(Targets.literal("host.lab.example")).as("a name: resolved later").isNull();
        assertThatThrownBy(() -> Targets.literal("300.1.2.3")).isInstanceOfSatisfying(UnknownTargetException.class,
                e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.INVALID_LITERAL));
    }

    @Test
    void anAddressWithAPortSaysSoNotInvalidIpv6() {
        assertThatThrownBy(() -> Targets.literal("198.19.0.1:80")).hasMessage("'198.19.0.1:80' names a port: a target is a "
                + "host name or address alone (198.19.0.1); the port is an option of its own (the request's "
                + "destinationPort, the CLI's -p)");
        assertThatThrownBy(() -> Targets.literal("[2001:db8::1]:443")).hasMessageContaining("alone (2001:db8::1)");
        assertThatThrownBy(() -> Targets.literal("host.lab.example:80")).hasMessageContaining("alone (host.lab.example)");
        assertThatThrownBy(() -> Targets.literal("::ffff:zz")).hasMessage("'::ffff:zz' is not a valid address")
                .isInstanceOfSatisfying(UnknownTargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.INVALID_LITERAL));
    }

    /** The text checks are loops now (no pattern compiled on a first trace's path): they say what the regexes said. */
    @Test
    void theTextChecksAgreeWithTheRegularExpressionsTheyReplace() {
        java.util.regex.Pattern dotted = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
        java.util.regex.Pattern numeric = java.util.regex.Pattern.compile("[\\d.]+");
        java.util.regex.Pattern notInAHost = java.util.regex.Pattern.compile("[\\s/@?#]");
        java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of("", ".", "1", "1.2.3.4",
                "198.18.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "1234.1.1.1", "001.002.003.004",
                "1.2.3.4 ", "\u0661.2.3.4", "a.b.c.d", "1.2.3.4\n", "host.lab.example", "2001:db8::1", "a b", "a\tb",
                "a\u000Bb", "a\fb", "a\rb", "a\u00A0b", "a/b", "a@b", "a?b", "a#b", "a%eth0", "fe80::1%2"));
        java.util.Random random = new java.util.Random(52);
        String alphabet = "0123456789....:a% /@?#\t\n\u000B\f\r\u00A0\u0661[]";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int len = random.nextInt(18); len > 0; len--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(b.toString());
        }
        for (String t : texts) {
            assertThat(Targets.dotted(t)).as("dotted %s", t).isEqualTo(dotted.matcher(t).matches());
            assertThat(Targets.numeric(t)).as("numeric %s", t).isEqualTo(numeric.matcher(t).matches());
            assertThat(Targets.notInAHost(t)).as("not in a host %s", t).isEqualTo(notInAHost.matcher(t).find());
        }
    }
}
