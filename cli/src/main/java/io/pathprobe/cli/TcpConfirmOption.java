package io.pathprobe.cli;

import picocli.CommandLine.Option;

/**
 * {@code --tcp-confirm}, shared by trace and multipath, the commands whose UDP probing can ask a destination over
 * TCP what their UDP probes cannot tell ({@code ProbeOptions.Builder#tcpConfirmation}): without it only the protocol
 * asked for leaves this host.
 */
final class TcpConfirmOption {
    @Option(names = "--tcp-confirm",
            description = "UDP probes: allow TCP SYNs to the destination's port where its rate-limited Port "
                    + "Unreachables cannot tell its limit from loss (trace: up to 3 to a destination gone silent; "
                    + "multipath: each path's loss measured over TCP, raw sockets). Default: UDP only; the result then "
                    + "states the loss bound such silences leave, and with it counts the TCP probes sent.")
    boolean tcpConfirm;
}
