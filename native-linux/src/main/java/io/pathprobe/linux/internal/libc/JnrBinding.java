package io.pathprobe.linux.internal.libc;

import jnr.ffi.LibraryLoader;
import org.jspecify.annotations.Nullable;

/**
 * {@link LibC} through jnr-ffi's generated stub ({@code -Dpathprobe.linux.binding=jnr}): the binding before {@link
 * DirectLibC}, kept as the way back should jffi's invokers misbehave somewhere. Loads jnr-ffi and ASM; errno lands in
 * the same jffi {@code LastError}.
 */
public final class JnrBinding implements LibC {
    private final JnrLibC c;

    /** Binds libc now: a missing function fails here. */
    public JnrBinding() {
        c = LibraryLoader.create(JnrLibC.class).failImmediately().load("c");
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return c.socket(domain, type, protocol);
    }

    @Override
    public int setsockopt(int fd, int level, int name, Pointer value, int length) {
        return c.setsockopt(fd, level, name, value.address(), length);
    }

    @Override
    public int getsockopt(int fd, int level, int name, Pointer value, Pointer length) {
        return c.getsockopt(fd, level, name, value.address(), length.address());
    }

    @Override
    public int bind(int fd, Pointer address, int length) {
        return c.bind(fd, address.address(), length);
    }

    @Override
    public int connect(int fd, Pointer address, int length) {
        return c.connect(fd, address.address(), length);
    }

    @Override
    public int getsockname(int fd, Pointer address, Pointer length) {
        return c.getsockname(fd, address.address(), length.address());
    }

    @Override
    public long sendmsg(int fd, Pointer message, int flags) {
        return c.sendmsg(fd, message.address(), flags);
    }

    @Override
    public long recvmsg(int fd, Pointer message, int flags) {
        return c.recvmsg(fd, message.address(), flags);
    }

    @Override
    public int close(int fd) {
        return c.close(fd);
    }

    @Override
    public int epoll_create1(int flags) {
        return c.epoll_create1(flags);
    }

    @Override
    public int epoll_ctl(int epfd, int op, int fd, Pointer event) {
        return c.epoll_ctl(epfd, op, fd, event.address());
    }

    @Override
    public int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMillis) {
        return c.epoll_wait(epfd, events.address(), maxEvents, timeoutMillis);
    }

    @Override
    public int eventfd(int initval, int flags) {
        return c.eventfd(initval, flags);
    }

    @Override
    public int timerfd_create(int clock, int flags) {
        return c.timerfd_create(clock, flags);
    }

    @Override
    public int timerfd_settime(int fd, int flags, Pointer newValue, @Nullable Pointer oldValue) {
        return c.timerfd_settime(fd, flags, newValue.address(), oldValue == null ? 0 : oldValue.address());
    }

    @Override
    public long read(int fd, Pointer buffer, long count) {
        return c.read(fd, buffer.address(), count);
    }

    @Override
    public long write(int fd, Pointer buffer, long count) {
        return c.write(fd, buffer.address(), count);
    }

    @Override
    public int setpriority(int which, int who, int prio) {
        return c.setpriority(which, who, prio);
    }

    @Override
    public int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        return c.prctl(option, arg2, arg3, arg4, arg5);
    }

    @Override
    public int clock_gettime(int clock, Pointer timespec) {
        return c.clock_gettime(clock, timespec.address());
    }

    @Override
    public int getuid() {
        return c.getuid();
    }

    @Override
    public int geteuid() {
        return c.geteuid();
    }

    @Override
    public int getgid() {
        return c.getgid();
    }

    @Override
    public int getegid() {
        return c.getegid();
    }

    @Override
    public int setuid(int uid) {
        return c.setuid(uid);
    }

    @Override
    public int setgid(int gid) {
        return c.setgid(gid);
    }

    @Override
    public int initgroups(Pointer user, int gid) {
        return c.initgroups(user.address(), gid);
    }

    @Override
    public int getpwnam_r(Pointer user, Pointer passwd, Pointer buffer, long length, Pointer result) {
        return c.getpwnam_r(user.address(), passwd.address(), buffer.address(), length, result.address());
    }

    @Override
    public @Nullable String strerror(int errno) {
        return c.strerror(errno);
    }

    @Override
    public long calloc(long count, long size) {
        return c.calloc(count, size);
    }

    @Override
    public void free(long address) {
        c.free(address);
    }
}
