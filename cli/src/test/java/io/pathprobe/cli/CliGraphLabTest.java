package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --format dot} of the shipped jar, as a reader renders it: every output goes through Graphviz's own
 * {@code dot -Tsvg} (Debian's {@code graphviz}, which build/deps installs), which must take it without a warning
 * and draw one node per node statement. Through a width-4 ECMP diamond: the multipath graph has one node per
 * responder, the four branches among them; a trace's graph is the path it took; a traceAll's meets where the
 * targets' paths do; a compare labels each link with the protocols that took it; masking hides what it hides.
 */
@LabTest
class CliGraphLabTest {
    @RegisterExtension
    @Order(1)
    static final LabExtension LAB = new LabExtension(Lab.diamond(4, EcmpHash.LINUX_L4)
            .icmpUnlimited("every branch of the diamond, in several runs of one lab").inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    private static final Pattern NODE = Pattern.compile("^  (\"(?:[^\"\\\\]|\\\\.)*\") \\[label=(\"(?:[^\"\\\\]|\\\\.)*\")(.*)\\];$");
    private static final Pattern LINK = Pattern.compile(
            "^  (\"(?:[^\"\\\\]|\\\\.)*\") -> (\"(?:[^\"\\\\]|\\\\.)*\")(?: \\[label=(\"(?:[^\"\\\\]|\\\\.)*\")\\])?;$");

    private static String dest() {
        return LAB.lab().destination().getHostAddress();
    }

    /** A node or link statement's string, unquoted. */
    private static String unquoted(String q) {
        return q.substring(1, q.length() - 1).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }

    /** The graph's node statements (id to label) and link statements ("from > to" to label), read back. */
    private record Read(Map<String, String> nodes, Map<String, String> links, String svg) {
        Set<String> addresses() {
            return nodes.keySet().stream().filter(id -> Character.isDigit(id.charAt(0)) || id.contains(":"))
                    .collect(Collectors.toSet());
        }
    }

    /** Runs the jar, checks it succeeded, renders its output with Graphviz and reads it back. */
    private static Read graph(String name, String... args) throws Exception {
        return graph(0, name, args);
    }

    /** The same for a command that exits {@code exit}, or 0 or 1 for {@code -1} (a compare whose protocols part: 1). */
    private static Read graph(int exit, String name, String... args) throws Exception {
        Run run = CLI.run(args);
        Files.writeString(Path.of("target", name + ".dot"), run.out() + run.err());
        if (exit < 0) {
            assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isIn(0, 1);
        } else {
            assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isEqualTo(exit);
        }
        assertThat(run.out()).startsWith("digraph pathprobe {\n").endsWith("}\n");
        Map<String, String> nodes = new LinkedHashMap<>();
        Map<String, String> links = new LinkedHashMap<>();
        for (String line : run.out().split("\n")) {
            Matcher n = NODE.matcher(line);
            Matcher l = LINK.matcher(line);
            if (n.matches()) {
                assertThat(nodes.put(unquoted(n.group(1)), unquoted(n.group(2)))).as("one statement a node").isNull();
            } else if (l.matches()) {
                links.put(unquoted(l.group(1)) + " > " + unquoted(l.group(2)), l.group(3) == null ? ""
                        : unquoted(l.group(3)));
            }
        }
        for (String ends : links.keySet()) {
            for (String id : ends.split(" > ")) {
                assertThat(nodes).as("a link names a node of the graph: %s", ends).containsKey(id);
            }
        }
        Path dot = Path.of("target", name + ".dot.in");
        Path svg = Path.of("target", name + ".svg");
        Files.writeString(dot, run.out());
        Process p = new ProcessBuilder("dot", "-Tsvg", "-o", svg.toString(), dot.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("dot ends").isTrue();
        assertThat(p.exitValue()).as("dot -Tsvg of %s: %s", name, said).isZero();
        assertThat(said).as("Graphviz warns of nothing").isEmpty();
        String drawn = Files.readString(svg);
        assertThat(count(drawn, "class=\"node\"")).as("dot drew one node per statement").isEqualTo(nodes.size());
        assertThat(count(drawn, "class=\"edge\"")).as("and one edge per link").isEqualTo(links.size());
        return new Read(nodes, links, drawn);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static Set<String> texts(Set<InetAddress> as) {
        return as.stream().map(InetAddress::getHostAddress).collect(Collectors.toSet());
    }

    @Test
    void aMultipathGraphHasOneNodePerResponderAndEveryBranch() throws Exception {
        Read g = graph("multipath", "multipath", "--format", "dot", "--confidence", "99.9", dest());
        Set<String> all = new java.util.HashSet<>();
        for (int ttl = 1; ttl <= LAB.lab().hops(); ttl++) {
            all.addAll(texts(LAB.lab().expectedResponders(ttl)));
        }
        assertThat(g.addresses()).isEqualTo(all);
        int branch = LAB.lab().ecmpTtl().orElseThrow();
        String before = LAB.lab().expectedResponder(branch - 1).orElseThrow().getHostAddress();
        String after = LAB.lab().expectedResponder(branch + 1).orElseThrow().getHostAddress();
        Set<String> middles = texts(LAB.lab().expectedResponders(branch));
        assertThat(middles).hasSize(4);
        for (String b : middles) {
            assertThat(g.links()).containsKey(before + " > " + b).containsKey(b + " > " + after);
            assertThat(g.links().get(before + " > " + b)).matches("\\d+ flows?");
        }
        assertThat(g.nodes()).containsKey("source");
        assertThat(g.nodes().get(dest())).startsWith(dest());
        assertThat(g.svg()).contains(dest());
    }

    @Test
    void aTraceGraphIsThePathItTookAndATraceOfManyTargetsMeetsWhereTheyDo() throws Exception {
        Read trace = graph("trace", "trace", "--format", "dot", "-q", "1", dest());
        List<String> chain = new ArrayList<>(List.of("source"));
        for (int ttl = 1; ttl <= LAB.lab().hops(); ttl++) {
            Set<String> here = texts(LAB.lab().expectedResponders(ttl));
            int t = ttl;
            String at = trace.addresses().stream().filter(here::contains).findFirst().orElseThrow(
                    () -> new AssertionError("no responder of TTL " + t + " in " + trace.nodes().keySet()));
            assertThat(trace.links()).containsKey(chain.get(chain.size() - 1) + " > " + at);
            chain.add(at);
        }
        assertThat(trace.addresses()).hasSize(LAB.lab().hops());
        assertThat(chain.get(chain.size() - 1)).isEqualTo(dest());

        String router = LAB.lab().expectedResponder(1).orElseThrow().getHostAddress();
        Read two = graph("trace-all", "trace", "--format", "dot", "-q", "1", dest(), router);
        assertThat(two.links().get("source > " + router)).as("both targets' paths leave through TTL 1")
                .contains(dest()).contains(router);
    }

    @Test
    void aCompareGraphLabelsEachLinkWithItsProtocols() throws Exception {
        // the diamond hashes each protocol's one flow: they may take one branch (exit 0) or part (exit 1), run by run
        // (each run's flows are its own: a second run, once asked to predict the first's exit, parted where it had not)
        Read g = graph(-1, "compare", "compare", "--format", "dot", "-w", "500ms", dest());
        String first = LAB.lab().expectedResponder(1).orElseThrow().getHostAddress();
        assertThat(g.links().get("source > " + first)).isEqualTo("icmp, udp, tcp");
        assertThat(g.links().get(LAB.lab().expectedResponder(LAB.lab().hops() - 1).orElseThrow().getHostAddress()
                + " > " + dest())).isEqualTo("icmp, udp, tcp");
        assertThat(g.links().values()).allSatisfy(label -> assertThat(label).matches("(icmp|udp|tcp)(, (udp|tcp))*"));
        // a branch a protocol took alone says so
        int branch = LAB.lab().ecmpTtl().orElseThrow();
        Set<String> middles = texts(LAB.lab().expectedResponders(branch));
        long taken = g.addresses().stream().filter(middles::contains).count();
        assertThat(taken).isBetween(1L, 3L);
        if (taken > 1) {
            assertThat(g.links().values()).anySatisfy(label -> assertThat(label).doesNotContain(","));
        }
    }

    @Test
    void aMaskedGraphHidesTheMaskedHops() throws Exception {
        Read g = graph("trace-masked", "trace", "--format", "dot", "--mask", "2", "-q", "1", dest());
        for (int ttl = 1; ttl <= 2; ttl++) {
            for (InetAddress a : LAB.lab().expectedResponders(ttl)) {
                assertThat(g.svg()).doesNotContain(a.getHostAddress());
            }
        }
        assertThat(g.nodes().values().stream().filter(l -> l.startsWith("masked")).count()).isEqualTo(2);
    }

    @Test
    void aCommandWithoutAGraphRefusesDot() throws IOException {
        Run run = CLI.run("ping", "--format", "dot", "-c", "1", dest());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("dot");
    }
}
