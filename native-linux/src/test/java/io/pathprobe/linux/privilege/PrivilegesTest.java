package io.pathprobe.linux.privilege;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The user names {@link Privileges} takes, its look-up and what it reads in /proc status files. The switch itself
 * changes the whole process, so it is tested in a process of its own: the command line's CliUserLabTest and the
 * agent's, which run the jar as root with {@code --user}.
 */
class PrivilegesTest {
    private static final User NOBODY = new User("nobody", 65534, 65534);

    @Test
    void aMalformedNameIsRefusedInOneLineBeforeAnyLookUp() {
        assertThatThrownBy(() -> Privileges.user("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no user name given");
        for (String bad : new String[] {"a b", "a:b", "../etc", "a/b", "-u", "a\tb", "x\u007f", "a\\b"}) {
            assertThatThrownBy(() -> Privileges.user(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("' is not a user name");
        }
        assertThatThrownBy(() -> Privileges.user("a\nb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'a?b' is not a user name");
        assertThat(Privileges.malformed("pathprobe")).isNull();
        assertThat(Privileges.malformed("svc-probe_1.x$")).isNull();
    }

    @Test
    void aUserIsLookedUpInTheUserDatabaseAndAnUnknownOneRefused() {
        User root = Privileges.user("root");
        assertThat(root).isEqualTo(new User("root", 0, 0));
        assertThat(root).hasToString("root (uid 0, gid 0)");
        assertThatThrownBy(() -> Privileges.user("pathprobe-no-such-user"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown user 'pathprobe-no-such-user': not in this host's user database");
    }

    @Test
    void aProcessThatIsTheUserAlreadyNeedsNoSwitchAndRootMaySwitchToAnyoneButRoot() {
        User me = Privileges.user(System.getProperty("user.name"));
        assertThatThrownBy(() -> Privileges.requireSwitchable(new User("root", 0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user root has uid 0: running as it gives up nothing; name an unprivileged user");
        if (me.uid() == 0) {
            Privileges.requireSwitchable(NOBODY);
        } else {
            Privileges.requireSwitchable(me); // this process is that user: nothing to do
            assertThatThrownBy(() -> Privileges.requireSwitchable(new User("other", me.uid() + 1, 0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("this process is not root");
        }
    }

    @Test
    void otherPlatformsAreRefusedInOneLine() {
        String os = System.getProperty("os.name");
        try {
            System.setProperty("os.name", "Mac OS X");
            assertThatThrownBy(() -> Privileges.user("nobody")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("switching to another user is supported on Linux only, not Mac OS X");
        } finally {
            System.setProperty("os.name", os);
        }
    }

    @Test
    void aStatusFileShowsRootLeftInAnyIdOrCapabilitySet() {
        String dropped = status("65534\t65534\t65534\t65534", "65534\t65534\t65534\t65534", "0000000000000000",
                "0000000000000000");
        assertThat(Privileges.problem(dropped, NOBODY)).isNull();
        assertThat(Privileges.problem(status("65534\t0\t65534\t65534", "65534\t65534\t65534\t65534",
                "0000000000000000", "0000000000000000"), NOBODY)).isEqualTo("Uid 65534 0 65534 65534");
        assertThat(Privileges.problem(status("65534\t65534\t65534\t65534", "65534\t65534\t0\t65534",
                "0000000000000000", "0000000000000000"), NOBODY)).isEqualTo("Gid 65534 65534 0 65534");
        assertThat(Privileges.problem(status("65534\t65534\t65534\t65534", "65534\t65534\t65534\t65534",
                "0000000000002000", "0000000000000000"), NOBODY)).isEqualTo("CapPrm 0000000000002000");
        assertThat(Privileges.problem(status("65534\t65534\t65534\t65534", "65534\t65534\t65534\t65534",
                "0000000000000000", "000001ffffffffff"), NOBODY)).isEqualTo("CapEff 000001ffffffffff");
        assertThat(Privileges.problem(dropped.replace("CapAmb:\t0000000000000000", "CapAmb:\t0000000000002000"),
                NOBODY)).isEqualTo("CapAmb 0000000000002000");
        assertThat(Privileges.problem("Name:\tjava\n", NOBODY)).isEqualTo("no Uid line");
    }

    /** A /proc/PID/status file's lines that matter here, as Linux writes them. */
    private static String status(String uid, String gid, String capPrm, String capEff) {
        return "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t" + uid + "\nGid:\t" + gid
                + "\nGroups:\t65534 \nCapInh:\t0000000000000000\nCapPrm:\t" + capPrm + "\nCapEff:\t" + capEff
                + "\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t1\n";
    }
}
