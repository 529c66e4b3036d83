package io.pathprobe.linux.internal.libc;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * {@link LibC} as jnr-ffi binds it, every pointer passed as its address (a C {@code long}, the size of a pointer on
 * the 64-bit Linux this module supports). Public only because jnr-ffi implements it in a class loader of its own;
 * not API. {@link JnrBinding} adapts it.
 */
public interface JnrLibC {

    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int name, long value, int length);

    int getsockopt(int fd, int level, int name, long value, long length);

    int bind(int fd, long address, int length);

    int connect(int fd, long address, int length);

    int getsockname(int fd, long address, long length);

    @ssize_t long sendmsg(int fd, long message, int flags);

    @ssize_t long recvmsg(int fd, long message, int flags);

    int sendmmsg(int fd, long messages, int count, int flags);

    int recvmmsg(int fd, long messages, int count, int flags, long timeout);

    int close(int fd);

    int epoll_create1(int flags);

    int epoll_ctl(int epfd, int op, int fd, long event);

    int epoll_wait(int epfd, long events, int maxEvents, int timeoutMillis);

    int eventfd(int initval, int flags);

    int timerfd_create(int clock, int flags);

    int timerfd_settime(int fd, int flags, long newValue, long oldValue);

    @ssize_t long read(int fd, long buffer, @size_t long count);

    @ssize_t long write(int fd, long buffer, @size_t long count);

    int setpriority(int which, int who, int prio);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    @IgnoreError
    int clock_gettime(int clock, long timespec);

    @IgnoreError
    int getuid();

    @IgnoreError
    int geteuid();

    @IgnoreError
    int getgid();

    @IgnoreError
    int getegid();

    int setuid(int uid);

    int setgid(int gid);

    int initgroups(long user, int gid);

    int getpwnam_r(long user, long passwd, long buffer, @size_t long length, long result);

    @IgnoreError
    String strerror(int errno);

    @IgnoreError
    long calloc(@size_t long count, @size_t long size);

    @IgnoreError
    void free(long address);
}
