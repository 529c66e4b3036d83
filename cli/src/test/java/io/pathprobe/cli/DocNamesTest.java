package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.DocPages.Page;
import io.pathprobe.spi.ProbeTransportProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The names README.md and docs/ give are the code's: every transport name ({@code linux-raw-icmp}), every fully
 * qualified pathprobe class ({@code io.pathprobe.trace.Hop}), every {@code Type.member} of a pathprobe type in the
 * text's code spans ({@code Hop.fromStopSet()}), and every long option of a {@code pathprobe COMMAND} line.
 */
class DocNamesTest {
    /** A transport's name: linux-, macos- or windows- and words; not an anchor (#windows-under-wine) or a part of a longer name. */
    private static final Pattern TRANSPORT = Pattern.compile("(?<![\\w#/.-])((?:linux|macos|windows)-[a-z]+(?:-[a-z]+)*)(?![\\w-])");
    private static final Pattern QUALIFIED = Pattern.compile("\\bio\\.pathprobe(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*(?:\\.[A-Z]\\w*)*");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)((?:(?!\\1).)+?)\\1");
    private static final Pattern MEMBER = Pattern.compile("(?<![\\w.])([A-Z][A-Za-z0-9]*)\\.([a-z][A-Za-z0-9]*\\(|[A-Z][A-Z0-9_]+\\b)");
    /** {@code pathprobe trace ...}, {@code java -jar .../pathprobe.jar mtr ...}: the command, then its arguments. */
    private static final Pattern COMMAND = Pattern.compile("(?:^|[\\s`$(])(?:pathprobe|\\S*pathprobe\\.jar|\\S*/pathprobe)\\s+([a-z]+)(?=\\s)([^`|>;#&]*)");
    private static final Pattern LONG_OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");

    /** {@return every page's text, and the JSON Schemas' (their descriptions name transports too)} */
    private static Map<Path, List<String>> texts() throws IOException {
        Map<Path, List<String>> texts = new HashMap<>();
        for (Page p : DocPages.pages()) {
            texts.put(p.file(), p.lines());
        }
        try (Stream<Path> s = Files.list(DocPages.root().resolve("docs/schema"))) {
            for (Path schema : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                texts.put(schema, Files.readAllLines(schema));
            }
        }
        return texts;
    }

    @Test
    void everyTransportNameTheDocsGiveIsATransports() throws IOException {
        Set<String> names = new TreeSet<>();
        ServiceLoader.load(ProbeTransportProvider.class).stream().forEach(p -> names.add(p.get().name()));
        assertThat(names).as("the Linux, macOS and Windows transports on this class path").contains("linux-raw-icmp",
                "macos-icmp-dgram", "windows-icmp-echo");
        List<String> wrong = new ArrayList<>();
        int found = 0;
        for (Map.Entry<Path, List<String>> page : texts().entrySet()) {
            for (int i = 0; i < page.getValue().size(); i++) {
                Matcher m = TRANSPORT.matcher(page.getValue().get(i));
                while (m.find()) {
                    found++;
                    if (!names.contains(m.group(1))) {
                        wrong.add(DocPages.root().relativize(page.getKey()) + ":" + (i + 1) + ": " + m.group(1));
                    }
                }
            }
        }
        assertThat(found).as("transport names in the docs").isGreaterThan(50);
        assertThat(wrong).as("transport names that are no transport's (there are " + names + ")").isEmpty();
        assertThat(TRANSPORT.matcher("via linux-icmp-raw, (#windows-under-wine) pathprobe-linux-raw-icmp-4-1 windows-x64")
                .results().map(r -> r.group(1)).toList()).containsExactly("linux-icmp-raw");
    }

    /** The main sources of every module: a top-level type's qualified name, and its file's text. */
    static Map<String, String> sources() throws IOException {
        Map<String, String> out = new HashMap<>();
        Path root = DocPages.root();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path java : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(java)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        String name = java.relativize(f).toString().replace('/', '.').replaceAll("\\.java$", "");
                        out.put(name, Files.readString(f));
                    }
                }
            }
        }
        return out;
    }

    /** {@return whether a qualified name is a type of the sources: top level, nested, or a JFR event's name} */
    static boolean exists(String name, Map<String, String> sources) {
        if (sources.containsKey(name)) {
            return true;
        }
        for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
            String outer = sources.get(name.substring(0, dot));
            if (outer != null) {
                return Stream.of(name.substring(dot + 1).split("\\.")).allMatch(nested -> Pattern
                        .compile("\\b(?:class|interface|enum|record|@interface)\\s+" + nested + "\\b").matcher(outer).find());
            }
        }
        return sources.values().stream().anyMatch(s -> s.contains("@Name(\"" + name + "\")"));
    }

    @Test
    void everyQualifiedClassNameTheDocsGiveIsAClass() throws IOException {
        Map<String, String> sources = sources();
        List<String> wrong = new ArrayList<>();
        int found = 0;
        for (Page page : DocPages.pages()) {
            for (int i = 0; i < page.lines().size(); i++) {
                Matcher m = QUALIFIED.matcher(page.lines().get(i));
                while (m.find()) {
                    found++;
                    if (!exists(m.group(), sources)) {
                        wrong.add(DocPages.root().relativize(page.file()) + ":" + (i + 1) + ": " + m.group());
                    }
                }
            }
        }
        assertThat(found).as("qualified class names in the docs").isGreaterThan(30);
        assertThat(wrong).as("qualified names that are no class of the sources").isEmpty();
        assertThat(exists("io.pathprobe.trace.Hop", sources)).isTrue();
        assertThat(exists("io.pathprobe.monitor.MonitorEvent.PathChanged", sources)).as("a nested class").isTrue();
        assertThat(exists("io.pathprobe.ProbeSent", sources)).as("a JFR event's name").isTrue();
        assertThat(exists("io.pathprobe.Hop", sources)).isFalse();
    }

    @Test
    void everyMemberOfAPathprobeTypeTheTextNamesIsThere() throws IOException {
        // the public types, by simple name (internal packages apart): the text's Type.member() means one of them
        Map<String, List<String>> types = new HashMap<>();
        Map<String, String> sources = sources();
        sources.forEach((name, text) -> {
            if (name.startsWith("io.pathprobe.") && !name.contains(".internal.")) {
                types.computeIfAbsent(name.substring(name.lastIndexOf('.') + 1), k -> new ArrayList<>()).add(name);
            }
        });
        List<String> wrong = new ArrayList<>();
        int found = 0;
        for (Page page : DocPages.pages()) {
            for (int i = 0; i < page.lines().size(); i++) {
                if (page.fenced()[i]) {
                    continue; // the Java blocks are compiled (DocSnippetsTest)
                }
                Matcher span = CODE_SPAN.matcher(page.lines().get(i));
                while (span.find()) {
                    Matcher m = MEMBER.matcher(span.group(2));
                    while (m.find()) {
                        List<String> texts = types.get(m.group(1));
                        if (texts == null) {
                            continue; // not a pathprobe type: Duration.ofSeconds(...)
                        }
                        found++;
                        String member = m.group(2).replace("(", "");
                        if (texts.stream().noneMatch(t -> has(t, member, sources.get(t)))) {
                            wrong.add(DocPages.root().relativize(page.file()) + ":" + (i + 1) + ": " + m.group(1) + "."
                                    + m.group(2));
                        }
                    }
                }
            }
        }
        assertThat(found).as("members of pathprobe types the text names").isGreaterThan(30);
        assertThat(wrong).as("members the type's source does not have").isEmpty();
    }

    /**
     * {@return whether the type has a member of this name: a method (its own, or a public one inherited), a field, an
     * enum constant or a nested type; read from the class where this class path has it, else from its source}
     */
    static boolean has(String type, String member, String source) {
        Class<?> c;
        try {
            c = Class.forName(type, false, DocNamesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Pattern.compile("\\b" + member + "\\b").matcher(source).find(); // a module this class path lacks
        }
        return Stream.concat(Stream.of(c.getMethods()), Stream.of(c.getDeclaredMethods()))
                        .anyMatch(x -> x.getName().equals(member))
                || Stream.concat(Stream.of(c.getFields()), Stream.of(c.getDeclaredFields()))
                        .anyMatch(x -> x.getName().equals(member))
                || Stream.concat(Stream.of(c.getClasses()), Stream.of(c.getDeclaredClasses()))
                        .anyMatch(x -> x.getSimpleName().equals(member));
    }

    @Test
    void everyLongOptionOfAPathprobeCommandLineIsTheCommands() {
        Map<String, CommandLine> commands = PathProbeCli.commandLine().getSubcommands();
        List<String> wrong = new ArrayList<>();
        int found = 0;
        for (Page page : DocPages.pages()) {
            for (int i = 0; i < page.lines().size(); i++) {
                Matcher m = COMMAND.matcher(page.lines().get(i));
                while (m.find()) {
                    CommandLine command = commands.get(m.group(1));
                    if (command == null) {
                        continue; // "pathprobe to 198.19.0.1, 30 hops max": output, not a command line
                    }
                    Matcher o = LONG_OPTION.matcher(m.group(2));
                    while (o.find()) {
                        found++;
                        if (command.getCommandSpec().findOption(o.group(1)) == null) {
                            wrong.add(DocPages.root().relativize(page.file()) + ":" + (i + 1) + ": pathprobe "
                                    + m.group(1) + " " + o.group(1));
                        }
                    }
                }
            }
        }
        assertThat(found).as("long options of pathprobe command lines in the docs").isGreaterThan(40);
        assertThat(wrong).as("options the command does not have (its options: see --help)").isEmpty();
        assertThat(COMMAND.matcher("$ java -jar cli/target/pathprobe.jar trace --mask 2 198.19.0.1 | head").results()
                .map(r -> r.group(1) + ":" + r.group(2).strip()).collect(Collectors.toList()))
                .containsExactly("trace:--mask 2 198.19.0.1");
    }
}
