package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.DocPages.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of README.md and docs/*.md resolves: the file (or directory) exists in the repository, and
 * an {@code #anchor} into a Markdown page is one of its headings (GitHub's anchor of the heading's text) or an
 * {@code <a id>} / {@code <a name>}. Links to other sites ({@code https:}, {@code mailto:}) are not followed.
 */
class DocLinksTest {
    /** An inline link or image, {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern INLINE = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** A reference definition, {@code [label]: target}. */
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    /** {@return the link targets of a page's prose, each with its line number} */
    static List<Map.Entry<Integer, String>> links(Page page) {
        List<Map.Entry<Integer, String>> out = new ArrayList<>();
        for (int i = 0; i < page.lines().size(); i++) {
            if (page.fenced()[i]) {
                continue;
            }
            String line = CODE_SPAN.matcher(page.lines().get(i)).replaceAll("");
            Matcher m = INLINE.matcher(line);
            while (m.find()) {
                out.add(Map.entry(i + 1, m.group(1)));
            }
            Matcher r = REFERENCE.matcher(line);
            if (r.matches()) {
                out.add(Map.entry(i + 1, r.group(1)));
            }
        }
        return out;
    }

    /** {@return GitHub's anchor of a heading: its text, lower case, without punctuation, spaces as hyphens} */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
    }

    /** {@return the anchors of a Markdown page: its headings' (a repeated one gets -1, -2, ...) and its a ids} */
    static Set<String> anchors(Page page) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < page.lines().size(); i++) {
            String line = page.lines().get(i);
            Matcher a = HTML_ANCHOR.matcher(line);
            while (a.find()) {
                out.add(a.group(1));
            }
            Matcher h = HEADING.matcher(line);
            if (!page.fenced()[i] && h.matches()) {
                String s = slug(h.group(2));
                int n = seen.merge(s, 1, Integer::sum) - 1;
                out.add(n == 0 ? s : s + "-" + n);
            }
        }
        return out;
    }

    /** {@return what is wrong with each relative link of the page: "page:line: target: why"} */
    static List<String> broken(Page page, Path root) {
        List<String> wrong = new ArrayList<>();
        Map<Path, Set<String>> anchorsOf = new HashMap<>();
        for (Map.Entry<Integer, String> link : links(page)) {
            String target = link.getValue();
            String at = root.relativize(page.file()) + ":" + link.getKey() + ": " + target + ": ";
            if (target.isEmpty()) {
                wrong.add(at + "an empty link");
                continue;
            }
            if (SCHEME.matcher(target).find()) {
                continue; // another site's
            }
            int hash = target.indexOf('#');
            String path = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? null : target.substring(hash + 1);
            Path file = path.isEmpty() ? page.file() : page.file().getParent().resolve(path).normalize();
            if (path.isEmpty()) {
                anchorsOf.computeIfAbsent(file, f -> anchors(page)); // the page as read, saved or not
            }
            if (!file.startsWith(root)) {
                wrong.add(at + "outside the repository");
            } else if (!path.isEmpty() && !Files.exists(file)) {
                wrong.add(at + "no such file");
            } else if (anchor != null && (path.isEmpty() || file.toString().endsWith(".md"))) {
                Set<String> anchors = anchorsOf.computeIfAbsent(file, f -> anchors(DocPages.read(f)));
                if (!anchors.contains(anchor)) {
                    wrong.add(at + "no such heading in " + root.relativize(file));
                }
            } else if (anchor != null) {
                wrong.add(at + "an anchor into a file that is not Markdown");
            }
        }
        return wrong;
    }

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsResolves() {
        Path root = DocPages.root();
        List<String> wrong = new ArrayList<>();
        int links = 0;
        for (Page page : DocPages.pages()) {
            links += links(page).size();
            wrong.addAll(broken(page, root));
        }
        assertThat(links).as("the docs' links").isGreaterThan(150);
        assertThat(wrong).as("links that do not resolve").isEmpty();
    }

    @Test
    void aBrokenFileOrAnchorIsFound() {
        Path root = DocPages.root();
        Page page = DocPages.parse(root.resolve("docs/x.md"), List.of(
                "# A title",
                "## Many targets: `traceAll`",
                "See [the API](../api/src/main/java/io/pathprobe/Hop.java), [ok](trace.md#many-targets-traceall),",
                "[here](#many-targets-traceall), [missing](#nowhere), [a site](https://example.org/x),",
                "![img](../README.md#java-api) and `[code](not/a/link)`",
                "```", "[in a fence](nowhere.md)", "```",
                "[ref]: trace.md#no-such-heading"));
        assertThat(broken(page, root)).containsExactly(
                "docs/x.md:3: ../api/src/main/java/io/pathprobe/Hop.java: no such file",
                "docs/x.md:4: #nowhere: no such heading in docs/x.md",
                "docs/x.md:9: trace.md#no-such-heading: no such heading in docs/trace.md");
    }

    @Test
    void anchorsAreGitHubs() {
        assertThat(slug("UDP pings and the destination's rate limit")).isEqualTo("udp-pings-and-the-destinations-rate-limit");
        assertThat(slug("Many targets: traceAll")).isEqualTo("many-targets-traceall");
        assertThat(slug("A monitor against mtr (`build/bench monitor`)")).isEqualTo("a-monitor-against-mtr-buildbench-monitor");
        assertThat(slug("Cold start ([build/bench coldstart](x))")).isEqualTo("cold-start-buildbench-coldstart");
        Page page = DocPages.parse(Path.of("x.md"), List.of("## Notes", "```", "## not a heading", "```", "## Notes",
                "<a id=\"raw\"></a>"));
        assertThat(anchors(page)).containsExactly("notes", "notes-1", "raw");
    }
}
