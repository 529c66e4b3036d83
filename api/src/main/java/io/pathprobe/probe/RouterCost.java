package io.pathprobe.probe;

import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.util.Optional;

/**
 * What a measurement cost one router (or destination, or ping target): the probes that asked it to answer and the
 * answers it sent that arrived. One entry of a {@link ProbeCost}.
 *
 * @param router who was asked; empty for the probes charged to no known router (sent to a TTL where nothing
 *     answered, or whose answers masking hid)
 * @param probes probes that asked it to answer: those it answered, and those left unanswered at a TTL whose answers
 *     came from it (from it most, where several answered)
 * @param answers its answers that arrived
 */
public record RouterCost(Optional<InetAddress> router, long probes, long answers) {
    /**
     * Checks the components (see the record's description).
     *
     * @param router who was asked; empty for no known router
     * @param probes probes that asked it to answer
     * @param answers its answers that arrived
     * @throws NullPointerException if {@code router} is null
     * @throws IllegalArgumentException if a count is negative or {@code answers} exceeds {@code probes}
     */
    public RouterCost {
        Checks.nonNull("router", router);
        if (answers < 0 || probes < answers) {
            throw new IllegalArgumentException("need 0 <= answers <= probes, was " + answers + " answers of " + probes
                    + " probes");
        }
    }

    /** {@return as ping counts: {@code "198.18.1.1: 3 probes, 3 answers"}; {@code "*"} for no known router} */
    @Override
    public String toString() {
        return router.map(AddressText::of).orElse("*") + ": " + probes + " probes, " + answers + " answers";
    }
}
