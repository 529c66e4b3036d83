package io.pathprobe.linux.internal.socket;

/** A socket's place in its transport's {@link IoLoop}: what epoll watches it for, until cancelled. */
public interface EpollRegistration {

    /** Watches the socket for {@code ops} from now on (epoll always reports EPOLLERR and EPOLLHUP too). */
    void submit(EpollOps ops);

    /** Removes the socket from epoll; later calls do nothing. */
    void cancel();

    /** Whether it is still registered (neither cancelled nor removed by the loop's shutdown). */
    boolean isValid();
}
