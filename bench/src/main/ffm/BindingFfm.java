// Run by ColdStartComparison (build/bench coldstart) on JDK 22 and later, in source-file mode:
//   java --enable-native-access=ALL-UNNAMED bench/src/main/ffm/BindingFfm.java
// Not compiled by the build (the bench is Java 17). The same work as io.pathprobe.bench.BindingChild, through
// Java's foreign-function API instead of jffi: the 23 libc functions the Linux transports call, bound up front
// (errno captured for those whose errno the transports read), then socket() and close(), calloc(), a write and a
// read of that memory, free(). Prints "BIND ns=... ok=...": the wall time from the start of main to the end.

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

public final class BindingFfm {
    private static final ValueLayout I = ValueLayout.JAVA_INT;
    private static final ValueLayout L = ValueLayout.JAVA_LONG;
    private static final ValueLayout P = ValueLayout.ADDRESS;

    public static void main(String[] args) throws Throwable {
        long t0 = System.nanoTime();
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        Map<String, MethodHandle> h = new HashMap<>();
        Object[][] functions = {
            {"socket", true, FunctionDescriptor.of(I, I, I, I)},
            {"setsockopt", true, FunctionDescriptor.of(I, I, I, I, P, I)},
            {"getsockopt", true, FunctionDescriptor.of(I, I, I, I, P, P)},
            {"bind", true, FunctionDescriptor.of(I, I, P, I)},
            {"connect", true, FunctionDescriptor.of(I, I, P, I)},
            {"getsockname", true, FunctionDescriptor.of(I, I, P, P)},
            {"sendmsg", true, FunctionDescriptor.of(L, I, P, I)},
            {"recvmsg", true, FunctionDescriptor.of(L, I, P, I)},
            {"close", true, FunctionDescriptor.of(I, I)},
            {"setpriority", true, FunctionDescriptor.of(I, I, I, I)},
            {"prctl", true, FunctionDescriptor.of(I, I, L, L, L, L)},
            {"epoll_create1", true, FunctionDescriptor.of(I, I)},
            {"epoll_ctl", true, FunctionDescriptor.of(I, I, I, I, P)},
            {"epoll_wait", true, FunctionDescriptor.of(I, I, P, I, I)},
            {"eventfd", true, FunctionDescriptor.of(I, I, I)},
            {"timerfd_create", true, FunctionDescriptor.of(I, I, I)},
            {"timerfd_settime", true, FunctionDescriptor.of(I, I, I, P, P)},
            {"read", true, FunctionDescriptor.of(L, I, P, L)},
            {"write", true, FunctionDescriptor.of(L, I, P, L)},
            {"clock_gettime", false, FunctionDescriptor.of(I, I, P)},
            {"strerror", false, FunctionDescriptor.of(P, I)},
            {"calloc", false, FunctionDescriptor.of(P, L, L)},
            {"free", false, FunctionDescriptor.ofVoid(P)},
        };
        for (Object[] f : functions) {
            MemorySegment symbol = libc.find((String) f[0]).orElseThrow();
            FunctionDescriptor d = (FunctionDescriptor) f[2];
            h.put((String) f[0], (Boolean) f[1] ? linker.downcallHandle(symbol, d, errno)
                    : linker.downcallHandle(symbol, d));
        }
        MemoryLayout stateLayout = Linker.Option.captureStateLayout();
        MemorySegment state = Arena.global().allocate(stateLayout);
        int fd = (int) h.get("socket").invokeExact(state, 2, 2 | 0x80000, 0); // AF_INET, SOCK_DGRAM | SOCK_CLOEXEC
        int closed = (int) h.get("close").invokeExact(state, fd);
        MemorySegment block = (MemorySegment) h.get("calloc").invokeExact(1L, 64L);
        MemorySegment p = block.reinterpret(64);
        p.set(ValueLayout.JAVA_INT, 8, 0x2a2a2a2a);
        int read = p.get(ValueLayout.JAVA_INT, 8);
        h.get("free").invokeExact(block);
        long t1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "BIND ns=%d ok=%s%n", t1 - t0, fd >= 0 && closed == 0 && read == 0x2a2a2a2a);
    }
}
