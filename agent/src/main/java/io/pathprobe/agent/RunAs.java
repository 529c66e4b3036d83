package io.pathprobe.agent;

import io.pathprobe.PathTracer;
import io.pathprobe.agent.sink.SinkSettings;
import io.pathprobe.core.internal.runtime.TransportOpening;
import io.pathprobe.linux.privilege.Privileges;
import io.pathprobe.linux.privilege.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs on as a named user once a tracer's transports are open: what the agent's {@code user:} and the command line's
 * {@code --user} do (Linux; {@link Privileges} makes the switch and checks it). Every transport the tracer may choose
 * is opened first, its raw sockets with them, as none can be opened after the switch; TCP in-connection's are not,
 * whose every session opens a raw socket of its own.
 */
public final class RunAs {
    private RunAs() {}

    /**
     * Opens every usable transport of the tracer, then switches this process to the user (nothing, when it is that
     * user already and not root).
     *
     * @param tracer a tracer {@link PathTracer#builder()} built
     * @param user the user
     * @return the names of the transports open, which the measurements of the tracer choose among from now on
     * @throws IllegalArgumentException when the process is neither root nor that user, or the tracer is not
     *     pathprobe's own
     * @throws IllegalStateException when the switch failed or left a privilege: the caller must stop
     */
    public static List<String> afterOpening(PathTracer tracer, User user) {
        Privileges.requireSwitchable(user);
        List<String> open = openTransports(tracer);
        Privileges.switchTo(user);
        return open;
    }

    /**
     * Opens every usable transport of the tracer, as {@link #afterOpening(PathTracer, User)} does before it switches:
     * what a replay of a command run with {@code --user} does in its place, so that it replays what was recorded.
     *
     * @param tracer a tracer {@link PathTracer#builder()} built
     * @return the names of the transports open
     * @throws IllegalArgumentException when the tracer is not pathprobe's own
     */
    public static List<String> openTransports(PathTracer tracer) {
        if (!(tracer instanceof TransportOpening t)) {
            throw new IllegalArgumentException("cannot open the transports of a tracer pathprobe did not build ("
                    + tracer.getClass().getName() + ")");
        }
        return t.openTransports();
    }

    /** As {@link #afterOpening(PathTracer, User)} with the schedule's {@code user:}; nothing without one. */
    static void ifAny(PathTracer tracer, @Nullable User user) {
        if (user != null) {
            afterOpening(tracer, user);
        }
    }

    /**
     * The schedule's {@code user:} once checked that it can be switched to, before anything opens: this process is
     * root (or that user), and every file sink's directory is the user's; null without {@code user:}.
     *
     * @throws AgentConfigException saying why not
     */
    static @Nullable User switchable(AgentConfig config, String source) {
        User user = config.user().orElse(null);
        if (user == null) {
            return null;
        }
        try {
            Privileges.requireSwitchable(user);
        } catch (IllegalArgumentException e) {
            throw new AgentConfigException(source, 0, 0, "user: " + e.getMessage());
        }
        for (SinkSettings s : config.sinks()) {
            String problem = sinkProblem(s, user);
            if (problem != null) {
                throw new AgentConfigException(source, 0, 0, "user: " + problem);
            }
        }
        return user;
    }

    /**
     * Why a file sink could not go on after the switch to {@code user}, or null: rotation makes its files in the
     * sink's directory after the switch, so the directory must exist and be the user's.
     */
    static @Nullable String sinkProblem(SinkSettings s, User user) {
        if (!s.type().equalsIgnoreCase("file") || s.option("path").isEmpty()) {
            return null;
        }
        Path dir = Path.of(s.required("path")).toAbsolutePath().getParent();
        String sink = "the directory " + dir + " of sink " + s.name();
        try {
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return owner == user.uid() ? null : sink + " is not user " + user.name() + "'s (uid " + owner
                    + "), who makes the rotated files there: chown it to " + user.name();
        } catch (NoSuchFileException e) {
            return sink + " does not exist: make it user " + user.name() + "'s, who makes the rotated files there";
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return sink + " cannot be checked (" + e + "): it must be user " + user.name() + "'s, who makes the "
                    + "rotated files there";
        }
    }
}
