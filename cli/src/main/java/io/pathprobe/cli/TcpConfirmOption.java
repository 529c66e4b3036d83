package io.pathprobe.cli;

import picocli.CommandLine.Option;

/**
 * {@code --tcp-confirm}, shared by the commands that probe with UDP and can ask a destination over TCP what their
 * UDP probes cannot tell ({@code ProbeOptions.Builder#tcpConfirmation}): without it only the protocol asked for
 * leaves this host.
 */
final class TcpConfirmOption {
    @Option(names = "--tcp-confirm",
            description = "UDP probes: where the destination's Port Unreachables go unheard (its ICMP limit, spent by "
                    + "another prober, or loss), send up to 3 TCP SYNs to the same port to ask whether it is there "
                    + "(default: UDP only; the result then states the loss bound such silences leave).")
    boolean tcpConfirm;
}
