package io.pathprobe.core.internal.runtime;

import java.util.List;

/**
 * A tracer that can open its transports ahead of its measurements ({@link TransportRegistry#openUsable()}): what
 * the agent and the command line do before they switch to a named user, after which no raw socket can be opened.
 */
public interface TransportOpening {
    /** {@return the names of the transports open now, every usable one opened (see TransportRegistry#openUsable)} */
    List<String> openTransports();
}
