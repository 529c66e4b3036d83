package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CopiedOutputTest {
    /** What {@code printing} prints through a CopiedOutput and through a plain PrintStream: the same bytes. */
    private static void printsAsPrintStream(Consumer<PrintStream> printing) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        printing.accept(new PrintStream(plain, true, StandardCharsets.UTF_8));
        ByteArrayOutputStream under = new ByteArrayOutputStream();
        CopiedOutput copied = new CopiedOutput(new PrintStream(under, true, StandardCharsets.UTF_8));
        printing.accept(copied);
        copied.flush();
        assertThat(under.toString(StandardCharsets.UTF_8)).isEqualTo(plain.toString(StandardCharsets.UTF_8));
        assertThat(copied.text()).isEqualTo(plain.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyPrintGoesThroughAndIsKept() {
        printsAsPrintStream(o -> {
            o.print("ré");
            o.print(1);
            o.print(2L);
            o.print(1.5f);
            o.print(2.5d);
            o.print('ç');
            o.print(true);
            o.print(new char[] {'a', 'ü'});
            o.print((Object) "obj");
            o.println();
            o.println("ligne →");
            o.println(3);
            o.println('x');
            o.println(new char[] {'y'});
            o.printf(Locale.ROOT, "%.2f ms%n", 0.125);
            o.format("%s%n", "f");
            o.append("ab").append("xyz", 1, 2).append('c');
            o.write('!');
        });
    }

    @Test
    void aCharacterSplitBetweenTwoWritesIsKeptWhole() {
        byte[] arrow = "→".getBytes(StandardCharsets.UTF_8); // 3 bytes
        printsAsPrintStream(o -> {
            o.write(arrow, 0, 1);
            o.write(arrow, 1, 2);
            o.print("a".repeat(10_000) + "é"); // longer than PrintStream's 8 KiB encoder buffer
        });
    }
}
