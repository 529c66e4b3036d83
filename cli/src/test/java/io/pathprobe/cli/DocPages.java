package io.pathprobe.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pages the docs tests read: README.md and docs/*.md, each split into its fenced code blocks and the
 * prose between them.
 */
final class DocPages {
    private DocPages() {}

    /** A fenced block: its info string ({@code java}, {@code bash}, ...), its first line's number and its text. */
    record Fence(String info, int line, String text) {}

    /** A page: its file, its lines, which of them are inside a fence (the fence lines included), and its fences. */
    record Page(Path file, List<String> lines, boolean[] fenced, List<Fence> fences) {
        /** {@return whether the page's prose (not its fences) before line number {@code line} holds {@code text}} */
        boolean proseBefore(int line, String text) {
            for (int i = 0; i < line - 1 && i < lines.size(); i++) {
                if (!fenced[i] && lines.get(i).contains(text)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@return the directory that holds README.md and docs/, found from the working directory up} */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no README.md and docs/ above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** {@return README.md, then docs/*.md in name order} */
    static List<Page> pages() {
        Path root = root();
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files.stream().map(DocPages::read).toList();
    }

    static Page read(Path file) {
        try {
            return parse(file, Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits lines into fences ({@code ```info} ... {@code ```}, indented or not) and prose. */
    static Page parse(Path file, List<String> lines) {
        boolean[] fenced = new boolean[lines.size()];
        List<Fence> fences = new ArrayList<>();
        StringBuilder b = null;
        String info = "";
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (b == null && l.startsWith("```")) {
                b = new StringBuilder();
                info = l.substring(3).strip();
                start = i + 2;
                fenced[i] = true;
            } else if (b != null && l.startsWith("```")) {
                fences.add(new Fence(info, start, b.toString()));
                b = null;
                fenced[i] = true;
            } else if (b != null) {
                b.append(lines.get(i)).append('\n');
                fenced[i] = true;
            }
        }
        return new Page(file, List.copyOf(lines), fenced, List.copyOf(fences));
    }
}
