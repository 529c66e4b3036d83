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
}
