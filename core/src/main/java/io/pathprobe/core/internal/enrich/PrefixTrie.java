package io.pathprobe.core.internal.enrich;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A binary trie of IP prefixes (one tree for IPv4, one for IPv6) answering the longest prefix that holds an
 * address. Built once, then read by any thread (no writes after it is published).
 *
 * @param <V> what a prefix maps to
 */
public final class PrefixTrie<V> {
    private static final class Node<V> {
        @Nullable Node<V> zero;
        @Nullable Node<V> one;
        @Nullable V value;
    }

    private final Node<V> v4 = new Node<>();
    private final Node<V> v6 = new Node<>();
    private int size;

    /**
     * Maps the prefix {@code network/length} to {@code value} (a prefix put twice keeps the first value).
     *
     * @throws IllegalArgumentException if {@code length} is out of range for the address's family
     */
    public void put(InetAddress network, int length, V value) {
        Objects.requireNonNull(value, "value");
        byte[] b = network.getAddress();
        if (length < 0 || length > b.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + network);
        }
        Node<V> n = network instanceof Inet4Address ? v4 : v6;
        for (int i = 0; i < length; i++) {
            boolean bit = bit(b, i);
            Node<V> next = bit ? n.one : n.zero;
            if (next == null) {
                next = new Node<>();
                if (bit) {
                    n.one = next;
                } else {
                    n.zero = next;
                }
            }
            n = next;
        }
        if (n.value == null) {
            n.value = value;
            size++;
        }
    }

    /** The value of the longest prefix that holds {@code address}, or null. */
    public @Nullable V longest(InetAddress address) {
        byte[] b = address.getAddress();
        Node<V> n = address instanceof Inet4Address ? v4 : v6;
        V best = n.value;
        for (int i = 0; i < b.length * 8 && n != null; i++) {
            n = bit(b, i) ? n.one : n.zero;
            if (n != null && n.value != null) {
                best = n.value;
            }
        }
        return best;
    }

    /** How many prefixes it holds. */
    public int size() {
        return size;
    }

    private static boolean bit(byte[] b, int i) {
        return (b[i >> 3] & (0x80 >>> (i & 7))) != 0;
    }
}
