package io.pathprobe.linux.internal.libc;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * {@link LibC} called through jffi (the layer under jnr-ffi) directly: each function is a symbol address and a
 * call context, called with jffi's numeric invokers, the calls jnr-ffi's generated stubs make. What this saves is
 * the stub generation: jnr-ffi writes and loads a class for the interface with ASM, about 60 % of the time a
 * fresh JVM took to bind libc (about 200 ms on a 2-core machine, the first trace waiting for it). errno is saved
 * per call, as jnr-ffi saves it, into jffi's {@code LastError}, except by the four functions {@link LibC} names.
 */
public final class DirectLibC implements LibC {
    private static final Type I = Type.SINT32;
    private static final Type L = Type.SINT64;
    private static final Type P = Type.POINTER;

    private final Invoker invoker = Invoker.getInstance();
    private final Function socket;
    private final Function setsockopt;
    private final Function getsockopt;
    private final Function bind;
    private final Function connect;
    private final Function getsockname;
    private final Function sendmsg;
    private final Function recvmsg;
    private final Function recvmmsg;
    private final Function sendmmsg;
    private final Function close;
    private final Function setpriority;
    private final Function prctl;
    private final Function epollCreate1;
    private final Function epollCtl;
    private final Function epollWait;
    private final Function eventfd;
    private final Function timerfdCreate;
    private final Function timerfdSettime;
    private final Function read;
    private final Function write;
    private final Function clockGettime;
    private final Function getuid;
    private final Function geteuid;
    private final Function getgid;
    private final Function getegid;
    private final Function setuid;
    private final Function setgid;
    private final Function initgroups;
    private final Function getpwnamR;
    private final Function strerror;
    private final Function calloc;
    private final Function free;

    /** Resolves every function now: a missing one fails here, as jnr-ffi's {@code failImmediately()} does. */
    public DirectLibC() {
        Library c = Library.getDefault();
        if (c == null) {
            throw new UnsatisfiedLinkError("dlopen(NULL): " + Library.getLastError());
        }
        socket = new Function(c, "socket", true, I, I, I, I);
        setsockopt = new Function(c, "setsockopt", true, I, I, I, I, P, I);
        getsockopt = new Function(c, "getsockopt", true, I, I, I, I, P, P);
        bind = new Function(c, "bind", true, I, I, P, I);
        connect = new Function(c, "connect", true, I, I, P, I);
        getsockname = new Function(c, "getsockname", true, I, I, P, P);
        sendmsg = new Function(c, "sendmsg", true, L, I, P, I);
        recvmsg = new Function(c, "recvmsg", true, L, I, P, I);
        recvmmsg = new Function(c, "recvmmsg", true, I, I, P, I, I, P);
        sendmmsg = new Function(c, "sendmmsg", true, I, I, P, I, I);
        close = new Function(c, "close", true, I, I);
        setpriority = new Function(c, "setpriority", true, I, I, I, I);
        prctl = new Function(c, "prctl", true, I, I, L, L, L, L);
        epollCreate1 = new Function(c, "epoll_create1", true, I, I);
        epollCtl = new Function(c, "epoll_ctl", true, I, I, I, I, P);
        epollWait = new Function(c, "epoll_wait", true, I, I, P, I, I);
        eventfd = new Function(c, "eventfd", true, I, I, I);
        timerfdCreate = new Function(c, "timerfd_create", true, I, I, I);
        timerfdSettime = new Function(c, "timerfd_settime", true, I, I, I, P, P);
        read = new Function(c, "read", true, L, I, P, L);
        write = new Function(c, "write", true, L, I, P, L);
        clockGettime = new Function(c, "clock_gettime", false, I, I, P);
        getuid = new Function(c, "getuid", false, I);
        geteuid = new Function(c, "geteuid", false, I);
        getgid = new Function(c, "getgid", false, I);
        getegid = new Function(c, "getegid", false, I);
        setuid = new Function(c, "setuid", true, I, I);
        setgid = new Function(c, "setgid", true, I, I);
        initgroups = new Function(c, "initgroups", true, I, P, I);
        getpwnamR = new Function(c, "getpwnam_r", true, I, P, P, P, L, P);
        strerror = new Function(c, "strerror", false, P, I);
        calloc = new Function(c, "calloc", false, P, L, L);
        free = new Function(c, "free", false, Type.VOID, P);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return invoker.invokeI3(socket.context, socket.address, domain, type, protocol);
    }

    @Override
    public int setsockopt(int fd, int level, int name, Pointer value, int length) {
        return (int) invoker.invokeN5(setsockopt.context, setsockopt.address, fd, level, name, address(value),
                length);
    }

    @Override
    public int getsockopt(int fd, int level, int name, Pointer value, Pointer length) {
        return (int) invoker.invokeN5(getsockopt.context, getsockopt.address, fd, level, name, address(value),
                address(length));
    }

    @Override
    public int bind(int fd, Pointer address, int length) {
        return (int) invoker.invokeN3(bind.context, bind.address, fd, address(address), length);
    }

    @Override
    public int connect(int fd, Pointer address, int length) {
        return (int) invoker.invokeN3(connect.context, connect.address, fd, address(address), length);
    }

    @Override
    public int getsockname(int fd, Pointer address, Pointer length) {
        return (int) invoker.invokeN3(getsockname.context, getsockname.address, fd, address(address),
                address(length));
    }

    @Override
    public long sendmsg(int fd, Pointer message, int flags) {
        return invoker.invokeN3(sendmsg.context, sendmsg.address, fd, address(message), flags);
    }

    @Override
    public long recvmsg(int fd, Pointer message, int flags) {
        return invoker.invokeN3(recvmsg.context, recvmsg.address, fd, address(message), flags);
    }

    @Override
    public int recvmmsg(int fd, Pointer messages, int count, int flags, @Nullable Pointer timeout) {
        return (int) invoker.invokeN5(recvmmsg.context, recvmmsg.address, fd, address(messages), count, flags,
                address(timeout));
    }

    @Override
    public int sendmmsg(int fd, Pointer messages, int count, int flags) {
        return (int) invoker.invokeN4(sendmmsg.context, sendmmsg.address, fd, address(messages), count, flags);
    }

    @Override
    public int close(int fd) {
        return invoker.invokeI1(close.context, close.address, fd);
    }

    @Override
    public int epoll_create1(int flags) {
        return invoker.invokeI1(epollCreate1.context, epollCreate1.address, flags);
    }

    @Override
    public int epoll_ctl(int epfd, int op, int fd, Pointer event) {
        return (int) invoker.invokeN4(epollCtl.context, epollCtl.address, epfd, op, fd, address(event));
    }

    @Override
    public int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMillis) {
        return (int) invoker.invokeN4(epollWait.context, epollWait.address, epfd, address(events), maxEvents,
                timeoutMillis);
    }

    @Override
    public int eventfd(int initval, int flags) {
        return invoker.invokeI2(eventfd.context, eventfd.address, initval, flags);
    }

    @Override
    public int timerfd_create(int clock, int flags) {
        return invoker.invokeI2(timerfdCreate.context, timerfdCreate.address, clock, flags);
    }

    @Override
    public int timerfd_settime(int fd, int flags, Pointer newValue, @Nullable Pointer oldValue) {
        return (int) invoker.invokeN4(timerfdSettime.context, timerfdSettime.address, fd, flags, address(newValue),
                address(oldValue));
    }

    @Override
    public long read(int fd, Pointer buffer, long count) {
        return invoker.invokeN3(read.context, read.address, fd, address(buffer), count);
    }

    @Override
    public long write(int fd, Pointer buffer, long count) {
        return invoker.invokeN3(write.context, write.address, fd, address(buffer), count);
    }

    @Override
    public int setpriority(int which, int who, int prio) {
        return invoker.invokeI3(setpriority.context, setpriority.address, which, who, prio);
    }

    @Override
    public int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        return (int) invoker.invokeN5(prctl.context, prctl.address, option, arg2, arg3, arg4, arg5);
    }

    @Override
    public int clock_gettime(int clock, Pointer timespec) {
        return (int) invoker.invokeN2(clockGettime.context, clockGettime.address, clock, address(timespec));
    }

    @Override
    public int getuid() {
        return invoker.invokeI0(getuid.context, getuid.address);
    }

    @Override
    public int geteuid() {
        return invoker.invokeI0(geteuid.context, geteuid.address);
    }

    @Override
    public int getgid() {
        return invoker.invokeI0(getgid.context, getgid.address);
    }

    @Override
    public int getegid() {
        return invoker.invokeI0(getegid.context, getegid.address);
    }

    @Override
    public int setuid(int uid) {
        return invoker.invokeI1(setuid.context, setuid.address, uid);
    }

    @Override
    public int setgid(int gid) {
        return invoker.invokeI1(setgid.context, setgid.address, gid);
    }

    @Override
    public int initgroups(Pointer user, int gid) {
        return (int) invoker.invokeN2(initgroups.context, initgroups.address, address(user), gid);
    }

    @Override
    public int getpwnam_r(Pointer user, Pointer passwd, Pointer buffer, long length, Pointer result) {
        return (int) invoker.invokeN5(getpwnamR.context, getpwnamR.address, address(user), address(passwd),
                address(buffer), length, address(result));
    }

    @Override
    public @Nullable String strerror(int errno) {
        long s = invoker.invokeN1(strerror.context, strerror.address, errno);
        return s == 0 ? null : new String(MemoryIO.getInstance().getZeroTerminatedByteArray(s),
                StandardCharsets.UTF_8);
    }

    @Override
    public long calloc(long count, long size) {
        return invoker.invokeN2(calloc.context, calloc.address, count, size);
    }

    @Override
    public void free(long address) {
        invoker.invokeN1(free.context, free.address, address);
    }

    /** A pointer's address, 0 for null. */
    private static long address(@Nullable Pointer p) {
        return p == null ? 0 : p.address();
    }

    /** A C function: its address and how it is called. */
    private static final class Function {
        final long address;
        final CallContext context;

        Function(Library library, String name, boolean saveErrno, Type result, Type... parameters) {
            address = library.getSymbolAddress(name);
            if (address == 0) {
                throw new UnsatisfiedLinkError("libc has no " + name + ": " + Library.getLastError());
            }
            context = CallContext.getCallContext(result, parameters, CallingConvention.DEFAULT, saveErrno);
        }
    }
}
