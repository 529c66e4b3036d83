package org.example.recordapp;

import io.pathprobe.PathTracer;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Records a trace and replays it, as the README's "Record, replay, share" and docs/evidence.md show, with only the
 * dependency they name (pathprobe-evidence, which brings pathprobe-core and jackson-databind): {@code RecordApp <destination> <expected path: one
 * address or * per hop, comma-separated>}. The trace must reach the destination over the expected path, the
 * recording must replay identical, and the replayed result must have the same hops. Exits 0 when it all held, 1
 * otherwise.
 */
public final class RecordApp {
    public static void main(String[] args) throws Exception {
        InetAddress destination = InetAddress.getByName(args[0]); // a literal: no resolver involved
        List<String> expected = List.of(args[1].split(","));
        Module module = RecordApp.class.getModule();
        System.out.println("record-app on JDK " + Runtime.version() + ", "
                + (module.isNamed() ? "module " + module.getName() + " (module path)" : "class path"));
        Path file = Files.createTempFile("record-app-", ".ndjson");
        TraceResult live;
        try (PathTracer tracer = PathTracer.builder().offline().record(file).build()) {
            live = tracer.trace(TraceRequest.builder(destination).build());
        }
        System.out.println(live);
        List<String> got = addresses(live);
        boolean ok = live.status() == TraceStatus.DESTINATION_REACHED && got.equals(expected);
        System.out.println("recorded: " + live.status() + ", hops " + got + (ok ? " as expected" : ", expected " + expected)
                + "; " + Files.size(file) + " bytes in " + file.getFileName());

        ReplayResult replay = PathTracer.replay(file); // no probe, no lookup
        System.out.println(replay);
        TraceResult again = replay.measurements().get(0).result(TraceResult.class);
        boolean same = replay.identical() && again.status() == live.status() && addresses(again).equals(got);
        System.out.println("replayed: " + again.status() + ", hops " + addresses(again)
                + (same ? ", identical to the recording: OK" : ": FAILED, not the recorded result"));
        ok &= same;
        Files.deleteIfExists(file);
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static List<String> addresses(TraceResult r) {
        List<String> out = new ArrayList<>();
        for (Hop h : r.hops()) {
            out.add(h.address().map(AddressText::of).orElse("*"));
        }
        return out;
    }

    private RecordApp() {
    }
}
