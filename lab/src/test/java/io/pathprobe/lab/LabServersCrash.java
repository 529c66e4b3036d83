package io.pathprobe.lab;

/**
 * Run in a child JVM by {@link LabServersTest}: builds a lab with a DNS and an HTTP server, prints
 * the pids of dnsmasq and of the HTTP server's JVM, and halts without closing anything (no shutdown
 * hooks run), as a crashed or killed test JVM would.
 */
final class LabServersCrash {
    static final int HALTED = 43;

    private LabServersCrash() {}

    public static void main(String[] args) {
        Lab lab = Lab.chain(2).dnsServer().httpServer(8080).build();
        System.out.println("built " + lab);
        LabServersTest.dnsmasqs().forEach(p -> System.out.println("pid " + p.pid()));
        LabServersTest.httpServers().forEach(p -> System.out.println("pid " + p.pid()));
        System.out.flush();
        Runtime.getRuntime().halt(HALTED);
    }
}
