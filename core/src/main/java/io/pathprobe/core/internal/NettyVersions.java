package io.pathprobe.core.internal;

import io.pathprobe.PathProbeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * pathprobe-core and pathprobe-native-linux are built on Netty 4.2 (its IoHandle event loops: {@code
 * MultiThreadIoEventLoopGroup}, {@code IoHandlerFactory}, {@code EpollIoHandler}). An application that itself
 * depends on Netty 4.1 gets, by Maven's nearest-wins rule, its 4.1 modules, often mixed with pathprobe's 4.2 ones,
 * which fails later with a {@link LinkageError} somewhere inside a trace or the responsiveness server. This check
 * runs when a tracer is built and says instead which Netty modules are found at which versions and what to do.
 */
final class NettyVersions {
    private static final String IO_HANDLE_API = "io.netty.channel.IoHandlerFactory";
    private static final Properties BUILD = build();
    /** The Netty release pathprobe is built and tested with. */
    static final String BUILT_WITH = BUILD.getProperty("netty.version", "4.2");
    static final String PATHPROBE_VERSION = BUILD.getProperty("pathprobe.version", "");

    private static volatile @Nullable String checked;

    private NettyVersions() {
    }

    /**
     * Throws if the Netty that {@code loader} sees is older than 4.2.
     *
     * @throws PathProbeException naming the Netty modules found older than 4.2 and the fix
     */
    static void require(@Nullable ClassLoader loader) {
        if (checked != null) {
            return;
        }
        boolean ioHandleApi;
        try {
            Class.forName(IO_HANDLE_API, false, loader != null ? loader : NettyVersions.class.getClassLoader());
            ioHandleApi = true;
        } catch (ClassNotFoundException | LinkageError e) {
            ioHandleApi = false;
        }
        Map<String, String> found = found(loader != null ? loader : NettyVersions.class.getClassLoader());
        String problem = problem(found, ioHandleApi);
        if (problem != null) {
            throw new PathProbeException(problem);
        }
        checked = "ok";
    }

    /**
     * What is wrong with these Netty modules (artifact id to version, from
     * {@code META-INF/io.netty.versions.properties}), or null if nothing is.
     *
     * @param ioHandleApi whether Netty 4.2's {@code io.netty.channel.IoHandlerFactory} can be loaded
     */
    static @Nullable String problem(Map<String, String> found, boolean ioHandleApi) {
        List<String> old = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (Map.Entry<String, String> m : new TreeMap<>(found).entrySet()) {
            String artifact = m.getKey();
            String version = m.getValue();
            if (artifact.startsWith("netty-") && version.startsWith("4.")) { // not netty-tcnative, incubator modules
                (olderThan42(version) ? old : current).add(artifact + " " + version);
            }
        }
        if (old.isEmpty() && ioHandleApi) {
            return null;
        }
        StringBuilder b = new StringBuilder("pathprobe needs Netty 4.2 (it is built with ").append(BUILT_WITH)
                .append("), but ");
        if (old.isEmpty()) {
            b.append("io.netty.channel.IoHandlerFactory (netty-transport 4.2) cannot be loaded");
        } else {
            b.append("the class path has Netty older than 4.2: ").append(String.join(", ", old));
            if (!current.isEmpty()) {
                b.append(" (next to ").append(String.join(", ", current)).append(')');
            }
        }
        b.append(". Your build's own Netty dependency (for example Maven's nearest-wins rule picking your application's"
                + " Netty 4.1) replaced the version pathprobe needs. Use Netty 4.2 for every Netty module: import"
                + " io.pathprobe:pathprobe-bom");
        if (!PATHPROBE_VERSION.isEmpty()) {
            b.append(':').append(PATHPROBE_VERSION);
        }
        b.append(" (it imports io.netty:netty-bom:").append(BUILT_WITH)
                .append(") or io.netty:netty-bom:").append(BUILT_WITH)
                .append(" (type pom, scope import) in <dependencyManagement>, and drop explicit 4.1 versions of Netty"
                        + " modules; Netty 4.2 keeps the 4.1 API, so 4.1 code keeps working.");
        return b.toString();
    }

    /** "4.1.128.Final" and "4.0.x" are; "4.2.0.Final", "4.2.18.Final", "4.3.0.Alpha1" are not. */
    static boolean olderThan42(String version) {
        String[] parts = version.split("[.-]", 3);
        if (parts.length < 2 || !parts[0].equals("4")) {
            return false;
        }
        try {
            return Integer.parseInt(parts[1]) < 2;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The Netty modules {@code loader} sees and their versions, from every
     * {@code META-INF/io.netty.versions.properties} (lines {@code netty-common.version=4.2.18.Final}), as Netty's own
     * {@code Version.identify} reads them, but without parsing the build dates it also holds: that parse initialises
     * the JDK's locale and calendar data, a twentieth of a second of every tracer's first build. Empty when there are
     * none (a repackaged Netty): the class check alone decides then.
     */
    static Map<String, String> found(ClassLoader loader) {
        Map<String, String> found = new TreeMap<>();
        try {
            Enumeration<URL> resources = loader.getResources("META-INF/io.netty.versions.properties");
            while (resources.hasMoreElements()) {
                Properties p = new Properties();
                try (InputStream in = resources.nextElement().openStream()) {
                    p.load(in);
                }
                for (String key : p.stringPropertyNames()) {
                    if (key.endsWith(".version")) {
                        found.put(key.substring(0, key.length() - ".version".length()), p.getProperty(key));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable version resources: the class check alone decides
        }
        return found;
    }

    private static Properties build() {
        Properties p = new Properties();
        try (InputStream in = NettyVersions.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
