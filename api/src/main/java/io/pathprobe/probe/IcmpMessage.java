package io.pathprobe.probe;

/**
 * The ICMP message that answered a probe (ICMP for IPv4 probes, ICMPv6 for IPv6 ones).
 *
 * @param type the ICMP type as received
 * @param code the ICMP code as received
 * @param ipv6 whether it is an ICMPv6 message (the numbers differ)
 */
public record IcmpMessage(int type, int code, boolean ipv6) {

    /** {@return whether this is a router's Time Exceeded (IPv4 11, IPv6 3)} */
    public boolean isTimeExceeded() {
        return type == (ipv6 ? 3 : 11);
    }

    /** {@return whether this is an echo reply (IPv4 0, IPv6 129)} */
    public boolean isEchoReply() {
        return type == (ipv6 ? 129 : 0);
    }

    /** {@return whether this is a destination unreachable (IPv4 3, IPv6 1), whatever its code} */
    public boolean isUnreachable() {
        return type == (ipv6 ? 1 : 3);
    }

    /** {@return whether this is a port unreachable (IPv4 3/3, IPv6 1/4)} */
    public boolean isPortUnreachable() {
        return isUnreachable() && code == (ipv6 ? 4 : 3);
    }

    /** {@return the message in words, e.g. "time exceeded", "host unreachable", "administratively prohibited"} */
    public String description() {
        if (isTimeExceeded()) {
            return "time exceeded";
        }
        if (isEchoReply()) {
            return "echo reply";
        }
        if (isUnreachable()) {
            return ipv6 ? switch (code) {
                case 0 -> "no route to destination";
                case 1 -> "administratively prohibited";
                case 3 -> "address unreachable";
                case 4 -> "port unreachable";
                case 5 -> "source address failed policy";
                case 6 -> "reject route";
                default -> "destination unreachable (code " + code + ")";
            } : switch (code) {
                case 0 -> "network unreachable";
                case 1 -> "host unreachable";
                case 2 -> "protocol unreachable";
                case 3 -> "port unreachable";
                case 4 -> "fragmentation needed";
                case 9, 10, 13 -> "administratively prohibited";
                default -> "destination unreachable (code " + code + ")";
            };
        }
        if (ipv6 && type == 2) {
            return "packet too big";
        }
        return "ICMP" + (ipv6 ? "v6" : "") + " type " + type + " code " + code;
    }

    /**
     * {@return the annotation Linux traceroute prints after the RTT for this message: "!N", "!H", "!P", "!X",
     * "!F", "!S", "!&lt;code&gt;", or "" for time exceeded, echo reply and the destination's port unreachable}
     */
    public String tracerouteFlag() {
        if (!isUnreachable() || isPortUnreachable()) {
            return "";
        }
        if (ipv6) {
            return switch (code) {
                case 0 -> "!N";
                case 1 -> "!X";
                case 3 -> "!H";
                default -> "!" + code;
            };
        }
        return switch (code) {
            case 0 -> "!N";
            case 1 -> "!H";
            case 2 -> "!P";
            case 4 -> "!F";
            case 5 -> "!S";
            case 9, 10, 13 -> "!X";
            default -> "!" + code;
        };
    }

    @Override
    public String toString() {
        return description();
    }
}
