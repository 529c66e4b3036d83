package io.pathprobe.linux.internal.codec;

import java.net.InetAddress;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code Optional.ofNullable} of an address that seldom changes (a session's source), made once per change and
 * not once per answer. Any thread: the memo is written racily, and {@code Optional} is immutable.
 */
public final class OptionalAddress {
    private @Nullable Optional<InetAddress> last;

    /** {@code Optional.ofNullable(address)}, the same instance while the address object is the same. */
    public Optional<InetAddress> of(@Nullable InetAddress address) {
        Optional<InetAddress> o = last;
        if (o == null || o.orElse(null) != address) {
            o = Optional.ofNullable(address);
            last = o;
        }
        return o;
    }
}
