package io.pathprobe.linux.internal.socket;

/** epoll readiness bits ({@code EPOLLIN}, {@code EPOLLOUT}, {@code EPOLLERR}...) as the I/O loop reports them. */
public final class EpollOps {
    static final EpollOps NONE = new EpollOps(0);
    public static final EpollOps EPOLLIN = new EpollOps(Abi.EPOLLIN);
    public static final EpollOps EPOLLOUT = new EpollOps(Abi.EPOLLOUT);
    public static final EpollOps EPOLLERR = new EpollOps(Abi.EPOLLERR);

    private final int value;

    private EpollOps(int value) {
        this.value = value;
    }

    /** The bits as epoll(7) reported them: the common single bits are shared instances, so nothing is allocated. */
    static EpollOps of(int value) {
        switch (value) {
            case 0: return NONE;
            case Abi.EPOLLIN: return EPOLLIN;
            case Abi.EPOLLOUT: return EPOLLOUT;
            case Abi.EPOLLERR: return EPOLLERR;
            default: return new EpollOps(value);
        }
    }

    int value() {
        return value;
    }

    /** Whether every bit of {@code other} is set here. */
    public boolean contains(EpollOps other) {
        return (value & other.value) == other.value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpollOps && ((EpollOps) o).value == value;
    }

    @Override
    public int hashCode() {
        return value;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if ((value & Abi.EPOLLIN) != 0) {
            b.append("EPOLLIN|");
        }
        if ((value & Abi.EPOLLOUT) != 0) {
            b.append("EPOLLOUT|");
        }
        if ((value & Abi.EPOLLERR) != 0) {
            b.append("EPOLLERR|");
        }
        if ((value & Abi.EPOLLHUP) != 0) {
            b.append("EPOLLHUP|");
        }
        int rest = value & ~(Abi.EPOLLIN | Abi.EPOLLOUT | Abi.EPOLLERR | Abi.EPOLLHUP);
        if (rest != 0) {
            b.append("0x").append(Integer.toHexString(rest)).append('|');
        }
        return b.length() == 0 ? "NONE" : b.substring(0, b.length() - 1);
    }
}
