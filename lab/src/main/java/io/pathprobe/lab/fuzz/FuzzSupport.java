package io.pathprobe.lab.fuzz;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The fuzzing harness shared by the parser fuzz tests of native-linux and core (test infrastructure, as
 * the rest of this module).
 *
 * <p>A {@link Target} wraps one parser: {@link Target#check} feeds it one input and fails (throws
 * {@link AssertionError}) on anything but a documented outcome; seeds are valid recorded packets.
 * Inputs come from two sources: Jazzer (coverage-guided, {@code JAZZER_FUZZ=1}) through
 * {@link #decode}, and {@link #run}, a seeded structure-aware mutator over the seeds (valid packets
 * with bytes, 16-bit length/offset/type fields, checksums, truncations and extensions mutated, or
 * plain random bytes) used for the bounded run of every build and the million-input run.
 */
public final class FuzzSupport {
    /** Inputs per parser of {@link #run}: {@value #DEFAULT_INPUTS} in a normal build, else -Dpathprobe.fuzz.inputs. */
    public static final long DEFAULT_INPUTS = 3000;
    private static final int[] INTERESTING = {0, 1, 2, 3, 4, 7, 8, 15, 16, 19, 20, 24, 27, 28, 40, 48, 127, 128, 255,
            256, 0x7fff, 0x8000, 0xfffe, 0xffff};

    private static final long[] WIDE = {Long.MAX_VALUE, Long.MIN_VALUE, -1L, 0xffff_ffffL, 0x8000_0000L,
            0x7fff_ffff_ffff_fff0L};

    private FuzzSupport() {}

    /** One parser under test. */
    public interface Target {
        String name();

        /** Valid inputs (recorded or built as the peers build them), the mutator's starting points. */
        List<byte[]> seeds();

        /**
         * Feeds {@code input}; returns a label of the documented outcome it had (counted, to show
         * how deep the inputs get), else throws.
         */
        String check(byte[] input) throws Exception;

        /** Re-establishes what a mutation breaks trivially (lengths, checksums), for half the mutants. */
        default byte[] fixup(byte[] input) {
            return input;
        }
    }

    /** What {@link #run} did, with how many inputs had each outcome. */
    public record Stats(String target, long inputs, long nanos, Map<String, Long> outcomes) {
        public double perSecond() {
            return inputs * 1e9 / Math.max(1, nanos);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "%-12s %,10d inputs, 0 unexpected, %,9.0f inputs/s; outcomes:", target, inputs, perSecond()));
            outcomes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> b.append(String.format(Locale.ROOT, " %s %.1f%%", e.getKey(),
                            100.0 * e.getValue() / inputs)));
            return b.toString();
        }
    }

    /**
     * Refuses to fuzz blind: with JAZZER_FUZZ set, Jazzer must instrument (-Djazzer.hooks=true
     * overriding the junit-platform.properties of the regression run), else libFuzzer mutates
     * without coverage feedback and says only "no interesting inputs were found".
     */
    public static void requireCoverageWhenFuzzing() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz != null && !fuzz.isEmpty() && !fuzz.equals("0")
                && !"true".equals(System.getProperty("jazzer.hooks"))) {
            throw new IllegalStateException("JAZZER_FUZZ is set but -Djazzer.hooks=true is not: Jazzer would fuzz"
                    + " without coverage feedback (docs/hardening.md, \"Fuzzing\")");
        }
    }

    /** Inputs per parser asked for: -Dpathprobe.fuzz.inputs (default {@value #DEFAULT_INPUTS}). */
    public static long inputs() {
        return Long.getLong("pathprobe.fuzz.inputs", DEFAULT_INPUTS);
    }

    /**
     * Feeds {@code t} its seeds, then {@code inputs} mutants generated from {@code seed}; the first
     * unexpected outcome fails with the input in hex (to be kept as a regression test).
     */
    public static Stats run(Target t, long inputs, long seed) {
        List<byte[]> seeds = t.seeds();
        Map<String, Long> outcomes = new TreeMap<>();
        long start = System.nanoTime();
        for (byte[] s : seeds) {
            outcomes.merge(feed(t, s), 1L, Long::sum);
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (long i = 0; i < inputs; i++) {
            outcomes.merge(feed(t, mutate(random, seeds, t)), 1L, Long::sum);
        }
        return new Stats(t.name(), inputs + seeds.size(), System.nanoTime() - start, outcomes);
    }

    /** Feeds one input; an unexpected exception or a broken invariant fails with the input. */
    public static String feed(Target t, byte[] input) {
        try {
            return t.check(input);
        } catch (Throwable e) {
            throw new AssertionError(t.name() + ": unexpected " + e + " for input (" + input.length + " bytes) "
                    + HexFormat.of().formatHex(input), e);
        }
    }

    /** A structure-aware mutant of one or two seeds, or random bytes. */
    public static byte[] mutate(SplittableRandom r, List<byte[]> seeds, Target t) {
        byte[] b;
        if (seeds.isEmpty() || r.nextInt(8) == 0) {
            b = new byte[r.nextInt(r.nextBoolean() ? 64 : 600)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) r.nextInt(256);
            }
            return b;
        }
        b = seeds.get(r.nextInt(seeds.size())).clone();
        int ops = 1 + r.nextInt(4);
        for (int k = 0; k < ops; k++) {
            b = mutateOnce(r, b, seeds);
        }
        return r.nextBoolean() ? t.fixup(b) : b;
    }

    private static byte[] mutateOnce(SplittableRandom r, byte[] b, List<byte[]> seeds) {
        int n = b.length;
        switch (r.nextInt(10)) {
            case 9: // a 64-bit field (size_t lengths, cookies) to a boundary value, either byte order
                if (n > 7) {
                    int at = r.nextInt(n - 7);
                    long v = WIDE[r.nextInt(WIDE.length)] - (r.nextBoolean() ? 8L * r.nextInt(4) : 0);
                    boolean little = r.nextBoolean();
                    for (int i = 0; i < 8; i++) {
                        b[at + i] = (byte) (v >>> (little ? 8 * i : 56 - 8 * i));
                    }
                }
                return b;
            case 0: // a byte
                if (n > 0) {
                    b[r.nextInt(n)] = (byte) r.nextInt(256);
                }
                return b;
            case 1: // a bit
                if (n > 0) {
                    b[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            case 2: // a 16-bit field (length, offset, type and code, checksum, port) to an interesting value
                if (n > 1) {
                    int at = r.nextInt(n - 1);
                    int v = r.nextInt(3) == 0 ? n + r.nextInt(5) - 2 - (r.nextBoolean() ? at : 0)
                            : INTERESTING[r.nextInt(INTERESTING.length)];
                    b[at] = (byte) (v >>> 8);
                    b[at + 1] = (byte) v;
                }
                return b;
            case 3: // a byte to an interesting value (IHL and version nibbles, lengths in words, types)
                if (n > 0) {
                    b[r.nextInt(n)] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
                }
                return b;
            case 4: // truncated
                return java.util.Arrays.copyOf(b, n == 0 ? 0 : r.nextInt(n));
            case 5: { // extended
                byte[] e = java.util.Arrays.copyOf(b, n + 1 + r.nextInt(r.nextBoolean() ? 8 : 200));
                if (r.nextBoolean()) {
                    for (int i = n; i < e.length; i++) {
                        e[i] = (byte) r.nextInt(256);
                    }
                }
                return e;
            }
            case 6: { // a 32-bit field
                if (n > 3) {
                    int at = r.nextInt(n - 3);
                    int v = r.nextInt();
                    for (int i = 0; i < 4; i++) {
                        b[at + i] = (byte) (v >>> (24 - 8 * i));
                    }
                }
                return b;
            }
            case 7: { // spliced with another seed
                byte[] o = seeds.get(r.nextInt(seeds.size()));
                int cut = n == 0 ? 0 : r.nextInt(n);
                int from = o.length == 0 ? 0 : r.nextInt(o.length);
                byte[] s = java.util.Arrays.copyOf(b, cut + o.length - from);
                System.arraycopy(o, from, s, cut, o.length - from);
                return s;
            }
            default: { // a range removed or duplicated (an option or an object inserted or lost)
                if (n < 2) {
                    return b;
                }
                int from = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(32, n - from));
                if (r.nextBoolean()) {
                    byte[] s = new byte[n - len];
                    System.arraycopy(b, 0, s, 0, from);
                    System.arraycopy(b, from + len, s, from, n - from - len);
                    return s;
                }
                byte[] s = new byte[n + len];
                System.arraycopy(b, 0, s, 0, from + len);
                System.arraycopy(b, from, s, from + len, n - from);
                return s;
            }
        }
    }

    /**
     * Turns Jazzer's raw input into the parser's input: a first byte with its low bit clear passes
     * the rest through as is (arbitrary bytes); with it set, the rest edits a seed chosen by the
     * first byte (triples of offset high, offset low, value; a value byte 0 after offset 0xffff
     * truncates), fixed up when bit 1 is set. So the fuzzer gets past the magic numbers and cookies
     * of valid packets without having to find them, and still explores arbitrary bytes.
     */
    public static byte[] decode(byte[] data, Target t) {
        if (data.length == 0) {
            return data;
        }
        int mode = data[0] & 0xff;
        if ((mode & 1) == 0) {
            return java.util.Arrays.copyOfRange(data, 1, data.length);
        }
        List<byte[]> seeds = t.seeds();
        if (seeds.isEmpty()) {
            return java.util.Arrays.copyOfRange(data, 1, data.length);
        }
        byte[] b = seeds.get((mode >>> 2) % seeds.size()).clone();
        for (int i = 1; i + 2 < data.length; i += 3) {
            int at = ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
            if (at >= 0xff00) { // truncate to (value * 4)
                b = java.util.Arrays.copyOf(b, Math.min(b.length, (data[i + 2] & 0xff) * 4 + (at & 0xff) % 4));
            } else if (at >= 0xfe00) { // extend by value bytes of (at & 0xff)
                int n = b.length;
                b = java.util.Arrays.copyOf(b, n + (data[i + 2] & 0xff));
                java.util.Arrays.fill(b, n, b.length, (byte) at);
            } else if (b.length > 0) {
                b[at % b.length] = data[i + 2];
            }
        }
        return (mode & 2) != 0 ? t.fixup(b) : b;
    }

    /** All targets' stats as a table, for the test output. */
    public static String table(List<Stats> stats) {
        List<String> lines = new ArrayList<>();
        for (Stats s : stats) {
            lines.add(s.toString());
        }
        return String.join("\n", lines);
    }

    public static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    public static int getShort(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    /** Writes {@code v} in network byte order in the 4 bytes at {@code at}. */
    public static void putInt(byte[] b, int at, int v) {
        putShort(b, at, v >>> 16);
        putShort(b, at + 2, v);
    }

    /** The int in network byte order in the 4 bytes at {@code at}. */
    public static int getInt(byte[] b, int at) {
        return (getShort(b, at) << 16) | getShort(b, at + 2);
    }
}
