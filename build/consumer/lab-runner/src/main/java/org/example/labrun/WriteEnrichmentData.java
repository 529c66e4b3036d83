package org.example.labrun;

import io.pathprobe.lab.MmdbWriter;
import io.pathprobe.lab.PeeringDbDumpWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the geo application's files with pathprobe-lab's writers: {@code WriteEnrichmentData <dir>} leaves
 * {@code city.mmdb} (a GeoLite2-City database placing 198.18.0.0/15, the lab's addresses, in Frankfurt) and
 * {@code peeringdb.json} (a PeeringDB dump with the exchange LAB-IX on the same prefix) in the directory.
 */
public final class WriteEnrichmentData {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        new MmdbWriter("GeoLite2-City")
                .put("198.18.0.0/15", MmdbWriter.city("DE", "Germany", "Frankfurt", 50.11, 8.68, 20))
                .write(dir.resolve("city.mmdb"));
        new PeeringDbDumpWriter().exchange(7, "LAB-IX", "Frankfurt", "DE", "198.18.0.0/15")
                .write(dir.resolve("peeringdb.json"));
        System.out.println("wrote " + dir.resolve("city.mmdb") + " and " + dir.resolve("peeringdb.json"));
    }

    private WriteEnrichmentData() {
    }
}
