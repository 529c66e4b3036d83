package io.pathprobe.cli;

import io.pathprobe.PathTracer;
import io.pathprobe.agent.RunAs;
import io.pathprobe.linux.privilege.Privileges;
import io.pathprobe.linux.privilege.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --user NAME}, shared by the commands that probe, as tcpdump's {@code -Z} and ntpd's {@code -u}: started as
 * root, the command opens its transports (their raw sockets) and its recording, then runs as that user (Linux;
 * {@link RunAs}). An unknown user, another user than this one when not root, or another platform than Linux are
 * refused when the command line is read, before anything is opened. A replay switches to no one (it sends nothing).
 */
final class UserOption {
    @Option(names = "--user", paramLabel = "NAME", converter = Converter.class,
            description = "Run as this user once the sockets are open (root only, Linux; as tcpdump -Z). The "
                    + "transports usable here are all opened first; TCP in-connection probes cannot be sent after.")
    @Nullable User user;

    /**
     * The tracer, once its transports are open and this process is the user (nothing without {@code --user}; in a
     * replay the transports are opened, as they were when it was recorded, and no one is switched to). The
     * recording, made by root when the tracer was built, is given to the user first: the command
     * appends its output to it when it ends. On failure the tracer is closed.
     *
     * @throws IllegalStateException when the switch failed or left a privilege (the command stops: exit 1)
     */
    PathTracer opened(PathTracer tracer, @Nullable Path recording) {
        User u = user;
        if (u == null) {
            return tracer;
        }
        if (ReplayCommand.replaying() != null) {
            RunAs.openTransports(tracer); // as the recording command did, switching to no one
            return tracer;
        }
        try {
            if (recording != null && Files.isRegularFile(recording, LinkOption.NOFOLLOW_LINKS)) {
                Files.setAttribute(recording, "unix:gid", u.gid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(recording, "unix:uid", u.uid(), LinkOption.NOFOLLOW_LINKS);
            }
            RunAs.afterOpening(tracer, u);
            return tracer;
        } catch (IOException e) {
            tracer.close();
            throw new IllegalStateException("cannot give the recording " + recording + " to user " + u.name() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            tracer.close();
            throw e;
        }
    }

    /** Whether {@code --user} was given. */
    boolean given() {
        return user != null;
    }

    /** A user name: looked up, and refused unless this process can switch to it (not in a replay). */
    static final class Converter implements CommandLine.ITypeConverter<User> {
        @Override
        public User convert(String value) {
            if (ReplayCommand.replaying() != null) {
                return new User(value, -1, -1); // never switched to
            }
            try {
                User u = Privileges.user(value);
                Privileges.requireSwitchable(u);
                return u;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
