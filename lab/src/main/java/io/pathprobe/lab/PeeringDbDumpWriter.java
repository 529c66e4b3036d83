package io.pathprobe.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small PeeringDB dumps for tests, in the shape of CAIDA's PeeringDB archive (and of PeeringDB's API
 * answers): a JSON object with {@code ix}, {@code ixlan}, {@code ixpfx}, {@code netixlan} and {@code net}, each
 * {@code {"data": [...]}}. Every exchange has one ixlan whose id is the exchange's.
 */
public final class PeeringDbDumpWriter {
    private final List<String> ix = new ArrayList<>();
    private final List<String> ixlan = new ArrayList<>();
    private final List<String> ixpfx = new ArrayList<>();
    private final List<String> netixlan = new ArrayList<>();
    private final List<String> net = new ArrayList<>();

    /**
     * An exchange with its peering LAN prefixes.
     *
     * @param id its id (and its ixlan's)
     * @param name its name
     * @param city its city
     * @param country its country code
     * @param prefixes its prefixes, e.g. "198.18.100.0/24"
     * @return this writer
     */
    public PeeringDbDumpWriter exchange(int id, String name, String city, String country, String... prefixes) {
        ix.add("{\"id\": " + id + ", \"org_id\": 1, \"name\": " + q(name) + ", \"name_long\": " + q(name)
                + ", \"city\": " + q(city) + ", \"country\": " + q(country) + ", \"status\": \"ok\"}");
        ixlan.add("{\"id\": " + id + ", \"ix_id\": " + id + ", \"name\": \"\", \"mtu\": 1500}");
        for (String p : prefixes) {
            ixpfx.add("{\"id\": " + (ixpfx.size() + 1) + ", \"ixlan_id\": " + id + ", \"protocol\": "
                    + q(p.contains(":") ? "IPv6" : "IPv4") + ", \"prefix\": " + q(p) + ", \"in_dfz\": false}");
        }
        return this;
    }

    /**
     * A network and its port on an exchange.
     *
     * @param ixId the exchange
     * @param netId the network's id
     * @param asn its AS
     * @param name its name
     * @param ipaddr4 its IPv4 address on the exchange, or null
     * @param ipaddr6 its IPv6 address on the exchange, or null
     * @return this writer
     */
    public PeeringDbDumpWriter member(int ixId, int netId, long asn, String name, String ipaddr4, String ipaddr6) {
        net.add("{\"id\": " + netId + ", \"name\": " + q(name) + ", \"asn\": " + asn + "}");
        netixlan.add("{\"id\": " + (netixlan.size() + 1) + ", \"net_id\": " + netId + ", \"ix_id\": " + ixId
                + ", \"ixlan_id\": " + ixId + ", \"asn\": " + asn + ", \"ipaddr4\": " + q(ipaddr4)
                + ", \"ipaddr6\": " + q(ipaddr6) + ", \"speed\": 10000}");
        return this;
    }

    /** {@return the dump as JSON text} */
    public String json() {
        return "{\"ix\": " + data(ix) + ",\n \"ixlan\": " + data(ixlan) + ",\n \"ixpfx\": " + data(ixpfx)
                + ",\n \"netixlan\": " + data(netixlan) + ",\n \"net\": " + data(net) + "}\n";
    }

    /**
     * Writes the dump to {@code file}.
     *
     * @param file where
     * @return {@code file}
     * @throws IOException if it cannot be written
     */
    public Path write(Path file) throws IOException {
        Files.writeString(file, json(), StandardCharsets.UTF_8);
        return file;
    }

    private static String data(List<String> items) {
        return "{\"data\": [" + String.join(",\n  ", items) + "]}";
    }

    private static String q(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
