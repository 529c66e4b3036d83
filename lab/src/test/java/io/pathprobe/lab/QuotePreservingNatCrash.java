package io.pathprobe.lab;

import io.pathprobe.lab.middlebox.QuotePreservingNat;

/**
 * Run in a child JVM by {@link QuotePreservingNatTest}: starts a NAT in the namespace given as the
 * argument (a {@link NatTopology} NAT router), prints its daemon's pid and binary, and halts without
 * closing anything (no shutdown hooks run), as a crashed or killed test JVM would.
 */
final class QuotePreservingNatCrash {
    static final int HALTED = 42;

    private QuotePreservingNatCrash() {}

    public static void main(String[] args) {
        QuotePreservingNat nat = QuotePreservingNat.start(args[0], NatTopology.NAT_INSIDE, NatTopology.NAT_OUTSIDE,
                NatTopology.INSIDE_HOST, NatTopology.PUBLIC);
        System.out.println("daemon " + nat.daemonPid());
        System.out.println("binary " + QuotePreservingNat.compiled());
        System.out.flush();
        Runtime.getRuntime().halt(HALTED);
    }
}
