package io.pathprobe.bufferbloat.internal.strategy;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A responsiveness server's configuration ({@code /.well-known/nq}, draft-09):
 * {@code {"version":1,"urls":{"large_download_url":..,"small_download_url":..,"upload_url":..},"test_endpoint":..}}.
 * Unknown names are ignored; Apple's {@code large_https_download_url} etc. aliases are accepted.
 * The three URLs must share scheme, host and port.
 */
public record NqConfig(URI large, URI small, URI upload, Optional<String> testEndpoint) {

    /** A configuration that cannot be used. */
    public static final class BadConfig extends Exception {
        private static final long serialVersionUID = 1L;

        public BadConfig(String message) {
            super(message);
        }
    }

    /** Parses the body of the configuration; {@code base} resolves relative URLs. */
    public static NqConfig parse(String json, URI base) throws BadConfig {
        Object root;
        try {
            root = new Json(json).document();
        } catch (IllegalArgumentException e) {
            throw new BadConfig("the configuration is not JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new BadConfig("the configuration is not a JSON object");
        }
        if (!(m.get("urls") instanceof Map<?, ?> urls)) {
            throw new BadConfig("the configuration has no \"urls\" object");
        }
        URI large = url(urls, base, "large_download_url", "large_https_download_url");
        URI small = url(urls, base, "small_download_url", "small_https_download_url");
        URI upload = url(urls, base, "upload_url", "https_upload_url");
        for (URI u : List.of(small, upload)) {
            if (!sameOrigin(u, large)) {
                throw new BadConfig("the configuration's URLs are not on one host: " + large + ", " + u);
            }
        }
        Object te = m.get("test_endpoint");
        Optional<String> endpoint = te instanceof String s && !s.isBlank() ? Optional.of(s.strip()) : Optional.empty();
        return new NqConfig(large, small, upload, endpoint);
    }

    private static URI url(Map<?, ?> urls, URI base, String... names) throws BadConfig {
        for (String n : names) {
            if (urls.get(n) instanceof String s) {
                try {
                    URI u = base.resolve(new URI(s.strip()));
                    String scheme = u.getScheme();
                    if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null) {
                        throw new BadConfig("\"" + n + "\" is not an http(s) URL: " + s);
                    }
                    return u;
                } catch (java.net.URISyntaxException e) {
                    throw new BadConfig("\"" + n + "\" is not a URL: " + s);
                }
            }
        }
        throw new BadConfig("the configuration has no \"" + names[0] + "\"");
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    /** The URL's port, or its scheme's default. */
    public static int port(URI u) {
        return u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** A path and query as sent in a request line. */
    public static String pathOf(URI u) {
        String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
    }

    /** A minimal JSON reader: objects, arrays, strings, numbers, true, false, null. */
    static final class Json {
        /** Arrays and objects nested deeper are refused (the reader recurses; the config nests 2 deep). */
        static final int MAX_DEPTH = 64;
        private final String s;
        private int i;
        private int depth;

        Json(String s) {
            this.s = s;
        }

        @Nullable Object document() {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw new IllegalArgumentException("trailing characters at " + i);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            ws();
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i);
            }
            i++;
        }

        private @Nullable Object value() {
            char c = peek();
            if ((c == '{' || c == '[') && depth == MAX_DEPTH) {
                throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " at " + i);
            }
            switch (c) {
                case '{': {
                    i++;
                    depth++;
                    Map<String, @Nullable Object> m = new LinkedHashMap<>();
                    if (peek() == '}') {
                        i++;
                        depth--;
                        return m;
                    }
                    while (true) {
                        String k = string();
                        expect(':');
                        m.put(k, value());
                        if (peek() == ',') {
                            i++;
                            continue;
                        }
                        expect('}');
                        depth--;
                        return m;
                    }
                }
                case '[': {
                    i++;
                    depth++;
                    List<@Nullable Object> l = new ArrayList<>();
                    if (peek() == ']') {
                        i++;
                        depth--;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        if (peek() == ',') {
                            i++;
                            continue;
                        }
                        expect(']');
                        depth--;
                        return l;
                    }
                }
                case '"':
                    return string();
                default:
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    if (start == i) {
                        throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
                    }
                    return Double.parseDouble(s.substring(start, i));
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    if (i >= s.length()) {
                        throw new IllegalArgumentException("unterminated string");
                    }
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            if (i + 4 > s.length()) {
                                throw new IllegalArgumentException("a \\u escape cut short at " + i);
                            }
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }
    }
}
