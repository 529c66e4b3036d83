package io.pathprobe.agent;

import io.pathprobe.agent.metrics.MetricsServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Who may read the metrics endpoint and over what: HTTP basic authentication ({@code user} with a password read
 * from a file or an environment variable, never from the command line or the schedule itself) and TLS (a PKCS#12
 * keystore holding the server's key and certificate, its password read the same way). Secrets are read at start.
 *
 * @param user the user name for basic authentication, if any (then {@code password} is required)
 * @param password where its password is
 * @param keystore the PKCS#12 keystore, if the endpoint serves HTTPS (then {@code keystorePassword} is required)
 * @param keystorePassword where the keystore's password is
 */
public record MetricsAccess(Optional<String> user, Optional<Secret> password, Optional<Path> keystore,
        Optional<Secret> keystorePassword) {
    /** The longest secret file read, in bytes. */
    static final int MAX_SECRET = 4096;

    /** No authentication, plain HTTP. */
    public static final MetricsAccess OPEN = new MetricsAccess(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    /**
     * Where a secret is: a file (its content, a trailing newline stripped) or an environment variable.
     *
     * @param file the file, if read from one
     * @param env the environment variable, if read from one
     */
    public record Secret(Optional<Path> file, Optional<String> env) {
        /** Checks that exactly one is given. */
        public Secret {
            if (file.isPresent() == env.isPresent()) {
                throw new IllegalArgumentException("give the password as a file or an environment variable, one");
            }
        }

        /** {@return the secret} @throws IllegalArgumentException if it cannot be read or is empty */
        public String read() {
            String value;
            if (file.isPresent()) {
                Path f = file.get();
                if (!Files.isRegularFile(f)) {
                    throw new IllegalArgumentException(f + " is not a regular file");
                }
                try (InputStream in = Files.newInputStream(f)) {
                    byte[] bytes = in.readNBytes(MAX_SECRET + 1);
                    if (bytes.length > MAX_SECRET) {
                        throw new IllegalArgumentException(f + " is longer than " + MAX_SECRET + " bytes");
                    }
                    value = new String(bytes, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
                }
            } else {
                String v = System.getenv(env.get());
                if (v == null) {
                    throw new IllegalArgumentException("the environment variable " + env.get() + " is not set");
                }
                value = v.strip();
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("the password " + (file.isPresent() ? "in " + file.get()
                        : "in $" + env.get()) + " is empty");
            }
            return value;
        }
    }

    /** Checks that each secret goes with what needs it. */
    public MetricsAccess {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(keystore, "keystore");
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("user and a password (passwordFile or passwordEnv) go together");
        }
        if (user.isPresent() && (user.get().isEmpty() || user.get().contains(":"))) {
            throw new IllegalArgumentException("user must be a name without ':', was '" + user.get() + "'");
        }
        if (keystore.isPresent() != keystorePassword.isPresent()) {
            throw new IllegalArgumentException("keystore and its password (keystorePasswordFile or keystorePasswordEnv)"
                    + " go together");
        }
    }

    /**
     * Reads the secrets and the keystore.
     *
     * @param readTimeout the endpoint's read timeout
     * @return the server's options
     * @throws IllegalArgumentException if a secret or the keystore cannot be read (one line)
     */
    MetricsServer.Options options(Duration readTimeout) {
        Optional<String> credentials = user.map(u -> u + ":" + password.orElseThrow().read());
        Optional<SSLContext> tls = keystore.map(k -> tls(k, keystorePassword.orElseThrow().read()));
        return new MetricsServer.Options(readTimeout, credentials, tls);
    }

    private static SSLContext tls(Path keystore, String password) {
        if (!Files.isRegularFile(keystore)) {
            throw new IllegalArgumentException("keystore " + keystore + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("keystore " + keystore + ": " + e.getMessage());
        }
    }
}
