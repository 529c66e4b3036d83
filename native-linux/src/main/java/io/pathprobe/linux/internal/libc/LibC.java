package io.pathprobe.linux.internal.libc;

import org.jspecify.annotations.Nullable;

/**
 * The libc functions the Linux transports call: {@link DirectLibC} (jffi's invokers) by default, {@link JnrBinding}
 * (jnr-ffi's generated stub) on request. Every pointer argument is native memory the caller owns (see {@code
 * io.pathprobe.linux.internal.socket.NativeMemory}); nothing here allocates.
 *
 * <p>Functions whose errno matters leave it in jffi's {@code LastError} for the calling thread; {@code
 * clock_gettime}, {@code strerror}, {@code calloc} and {@code free} do not save it.
 */
public interface LibC {

    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int name, Pointer value, int length);

    /** {@code length} points to a socklen_t that is read and written. */
    int getsockopt(int fd, int level, int name, Pointer value, Pointer length);

    int bind(int fd, Pointer address, int length);

    int connect(int fd, Pointer address, int length);

    /** {@code length} points to a socklen_t that is read and written. */
    int getsockname(int fd, Pointer address, Pointer length);

    long sendmsg(int fd, Pointer message, int flags);

    long recvmsg(int fd, Pointer message, int flags);

    /**
     * sendmmsg(2): the {@code count} messages of the {@code struct mmsghdr} array at {@code messages}, in order, in one
     * call. Returns how many were sent (the rest were not: the first of them failed, or was not tried), or -1 with the
     * errno of the first when none was.
     */
    int sendmmsg(int fd, Pointer messages, int count, int flags);

    /**
     * recvmmsg(2): up to {@code count} messages into the {@code struct mmsghdr} array at {@code messages}, each with
     * its own {@code msg_len}; {@code timeout} (a struct timespec) may be null. Returns how many it read, or -1.
     */
    int recvmmsg(int fd, Pointer messages, int count, int flags, @Nullable Pointer timeout);

    int close(int fd);

    // the transports' own epoll loop (IoLoop): epoll, an eventfd to wake it and a timerfd for its timers

    int epoll_create1(int flags);

    int epoll_ctl(int epfd, int op, int fd, Pointer event);

    int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMillis);

    int eventfd(int initval, int flags);

    int timerfd_create(int clock, int flags);

    int timerfd_settime(int fd, int flags, Pointer newValue, @Nullable Pointer oldValue);

    long read(int fd, Pointer buffer, long count);

    long write(int fd, Pointer buffer, long count);

    /**
     * setpriority(2): with PRIO_PROCESS (0) and who 0 it sets the calling thread's nice value (Linux/NPTL: per thread).
     */
    int setpriority(int which, int who, int prio);

    /** prctl(2); variadic in C, every argument here an integer (unused ones 0). */
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    int clock_gettime(int clock, Pointer timespec);

    // the process's identity, for switching to a named user once the sockets are open (io.pathprobe.linux.privilege).
    // glibc's setuid, setgid and initgroups change every thread of the process (the raw system calls change one)

    int getuid();

    int geteuid();

    int getgid();

    int getegid();

    int setuid(int uid);

    int setgid(int gid);

    /** initgroups(3): the supplementary groups of {@code user} (a C string) from the user database, and {@code gid}. */
    int initgroups(Pointer user, int gid);

    /**
     * getpwnam_r(3): {@code user} (a C string) into the struct passwd at {@code passwd}, its strings in {@code buffer};
     * {@code result} (a pointer) is set to {@code passwd}, or to null when there is no such user. Returns 0 or an
     * errno.
     */
    int getpwnam_r(Pointer user, Pointer passwd, Pointer buffer, long length, Pointer result);

    @Nullable String strerror(int errno);

    long calloc(long count, long size);

    void free(long address);
}
