package org.example.geoapp;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.probe.AddressText;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Traces with a GeoIP database and a PeeringDB dump, with only the dependencies docs/installation.md names for them
 * (pathprobe-core, maxmind-db, jackson-databind): {@code GeoApp <destination> <expected path> <city.mmdb>
 * <peeringdb.json>}. The lab runner's files place 198.18.0.0/15 in Frankfurt and on the exchange LAB-IX: every hop
 * that answered must say so. Exits 0 when it did, 1 otherwise.
 */
public final class GeoApp {
    public static void main(String[] args) throws Exception {
        InetAddress destination = InetAddress.getByName(args[0]);
        List<String> expected = List.of(args[1].split(","));
        Path mmdb = Path.of(args[2]);
        Path dump = Path.of(args[3]);
        Module module = GeoApp.class.getModule();
        System.out.println("geo-app on JDK " + Runtime.version() + ", "
                + (module.isNamed() ? "module " + module.getName() + " (module path)" : "class path"));
        boolean ok;
        try (PathTracer tracer = PathTracer.builder().offline().geoDatabase(mmdb).peeringDbDump(dump).build()) {
            TraceResult r = tracer.trace(TraceRequest.builder(destination).build());
            System.out.println(r);
            List<String> got = new ArrayList<>();
            ok = r.status() == TraceStatus.DESTINATION_REACHED;
            for (Hop h : r.hops()) {
                got.add(h.address().map(AddressText::of).orElse("*"));
                if (h.address().isEmpty()) {
                    continue;
                }
                Optional<String> city = h.location().value().flatMap(GeoLocation::city);
                Optional<String> ix = h.exchange().value().map(Exchange::name);
                boolean placed = city.equals(Optional.of("Frankfurt")) && ix.equals(Optional.of("LAB-IX"));
                System.out.println("hop " + h.ttl() + ": " + h.location() + ", " + h.exchange()
                        + (placed ? ": OK" : ": FAILED, expected Frankfurt on LAB-IX"));
                ok &= placed;
            }
            ok &= got.equals(expected);
            System.out.println("hops " + got + (got.equals(expected) ? " as expected" : ", expected " + expected));
        }
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }

    private GeoApp() {
    }
}
