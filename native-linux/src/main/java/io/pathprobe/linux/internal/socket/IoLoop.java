package io.pathprobe.linux.internal.socket;

import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.spi.TransportException;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one epoll I/O thread of a transport, on the libc binding the transports already use (no event-loop
 * library to load: a first trace starts sooner). Sockets are registered by file descriptor
 * ({@link FdHandle}); epoll wakes the thread as soon as a socket is readable or has an error queued, and the
 * transport's handler drains it there. Everything a transport does on receive happens on this thread, so
 * receive buffers and caches need no locking. Level-triggered. Other threads hand it work through a queue and
 * wake it with an eventfd; its timers wait on a timerfd, so they keep nanosecond precision (a
 * 100 µs receive poll does not become epoll_wait's 1 ms).
 */
public final class IoLoop {
    /** Bound on every wait for the I/O thread (registration, close, shutdown). */
    public static final long TIMEOUT_MILLIS = 5_000;
    private static final int MAX_EVENTS = 256;
    /** Queued tasks run per turn before epoll is asked again, so sockets are never starved by a long queue. */
    private static final int TASKS_PER_TURN = 1024;
    private static final int RUNNING = 0;
    private static final int SHUTTING_DOWN = 1;
    private static final int TERMINATED = 2;
    // the native block: the event array, then the 8-byte counters read and written, a struct itimerspec, and the
    // struct epoll_event handed to epoll_ctl
    private static final int EVENTS = 0;
    private static final int READ_COUNTER = EVENTS + MAX_EVENTS * Abi.EPOLL_EVENT_SIZE;
    private static final int ONE = READ_COUNTER + 8;
    private static final int TIMER_SPEC = ONE + 8;
    private static final int CTL_EVENT = TIMER_SPEC + 32;
    private static final int BLOCK = CTL_EVENT + 16;

    private final LibC libc;
    private final int epollFd;
    private final int wakeFd;
    private final int timerFd;
    private final NativeMemory memory;
    private final Pointer events;
    private final Pointer readCounter;
    private final Pointer one;
    private final Pointer timerSpec;
    private final Pointer ctlEvent;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Set by the I/O thread before it may block in epoll_wait; whoever clears it writes the eventfd. */
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final CountDownLatch terminated = new CountDownLatch(1);
    // the I/O thread's own
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** By file descriptor (small, dense numbers): no boxing per event. */
    private Registration[] registrations = new Registration[64];
    /** Set once the native block is freed and the descriptors closed; guarded by {@code this}. */
    private boolean released;
    private long timerSequence;
    private long armedDeadline = Long.MAX_VALUE;

    public IoLoop(String name) {
        Throwable failure = Posix.loadFailure();
        if (failure != null) {
            throw new TransportException("the I/O loop needs libc: " + failure, failure);
        }
        libc = Posix.libc();
        int ep = -1;
        int wake = -1;
        int timer = -1;
        NativeMemory block = null;
        try {
            ep = check(libc.epoll_create1(Abi.EPOLL_CLOEXEC), "epoll_create1");
            wake = check(libc.eventfd(0, Abi.EFD_NONBLOCK | Abi.EFD_CLOEXEC), "eventfd");
            timer = check(libc.timerfd_create(Abi.CLOCK_MONOTONIC, Abi.TFD_NONBLOCK | Abi.TFD_CLOEXEC),
                    "timerfd_create");
            block = NativeMemory.allocate(BLOCK);
        } catch (RuntimeException | Error e) {
            closeQuietly(ep);
            closeQuietly(wake);
            closeQuietly(timer);
            throw e;
        }
        epollFd = ep;
        wakeFd = wake;
        timerFd = timer;
        memory = block;
        events = memory.at(EVENTS);
        readCounter = memory.at(READ_COUNTER);
        one = memory.at(ONE);
        one.putLong(0, 1);
        timerSpec = memory.at(TIMER_SPEC);
        ctlEvent = memory.at(CTL_EVENT);
        try {
            ctl(Abi.EPOLL_CTL_ADD, wakeFd, Abi.EPOLLIN);
            ctl(Abi.EPOLL_CTL_ADD, timerFd, Abi.EPOLLIN);
        } catch (TransportException e) {
            release();
            throw e;
        }
        thread = new Thread(new Runnable() { // classes, not lambdas, on the set-up path: docs/startup.md
            @Override
            public void run() {
                IoLoop.this.run();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Registers a socket for readability (EPOLLIN; epoll always reports EPOLLERR too), from any thread but
     * this loop's. Level-triggered: a socket left with data is reported again on the next turn of the loop.
     */
    public EpollRegistration register(FdHandle handle) {
        if (inLoop()) {
            return registerInLoop(handle, EpollOps.EPOLLIN);
        }
        CompletableFuture<EpollRegistration> f = new CompletableFuture<>();
        if (!execute(new Runnable() {
            @Override
            public void run() {
                try {
                    f.complete(registerInLoop(handle, EpollOps.EPOLLIN));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            }
        })) {
            throw new TransportException("transport is closed");
        }
        try {
            return f.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TransportException("epoll registration timed out", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TransportException) {
                throw (TransportException) cause;
            }
            throw new TransportException("epoll registration failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while registering with epoll", e);
        }
    }

    /**
     * On the I/O thread: registers a socket for {@code ops} (epoll always reports EPOLLERR and
     * EPOLLHUP too) at once, without waiting for anything. Level-triggered.
     */
    public EpollRegistration registerInLoop(FdHandle handle, EpollOps ops) {
        if (!inLoop()) {
            throw new IllegalStateException("not on the I/O thread");
        }
        if (state.get() == TERMINATED) {
            throw new TransportException("transport is closed");
        }
        int fd = handle.fd().intValue();
        ctl(Abi.EPOLL_CTL_ADD, fd, ops.value());
        Registration r = new Registration(fd, handle);
        if (fd >= registrations.length) {
            registrations = Arrays.copyOf(registrations, Math.max(fd + 1, registrations.length * 2));
        }
        registrations[fd] = r;
        return r;
    }

    /** Runs {@code task} on the I/O thread after {@code delayNanos}; false if the loop no longer accepts tasks. */
    public boolean schedule(Runnable task, long delayNanos) {
        long deadline = System.nanoTime() + Math.max(0, delayNanos);
        if (inLoop()) {
            if (state.get() != RUNNING) {
                return false;
            }
            addTimer(deadline, task);
            return true;
        }
        return execute(() -> addTimer(deadline, task));
    }

    /** Runs {@code task} on the I/O thread; false if the loop no longer accepts tasks. */
    public boolean execute(Runnable task) {
        if (state.get() != RUNNING) {
            return false;
        }
        tasks.add(task);
        if (state.get() != RUNNING && !inLoop()) {
            // shut down meanwhile: the loop runs what it finds queued before it ends, or has ended already
            if (tasks.remove(task)) {
                return false;
            }
        }
        wake();
        return true;
    }

    /**
     * Returns once the I/O thread has finished whatever it was doing when this was called (bounded).
     * Must not be called on the I/O thread.
     */
    void barrier() {
        if (inLoop()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        if (execute(done::countDown)) {
            try {
                done.await(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Shuts the loop down: it runs the tasks already queued, closes the handles still registered (their
     * {@link FdHandle#close()}) and ends. Waits (bounded) for the thread to end unless called on it. Returns
     * whether it has ended.
     */
    public boolean shutdown() {
        state.compareAndSet(RUNNING, SHUTTING_DOWN);
        wake();
        if (inLoop()) {
            return false;
        }
        boolean interrupted = false;
        try {
            terminated.await(TIMEOUT_MILLIS * 2, TimeUnit.MILLISECONDS);
            thread.join(TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void wake() {
        if (!inLoop() && sleeping.compareAndSet(true, false)) {
            libc.write(wakeFd, one, 8);
        }
    }

    private void addTimer(long deadline, Runnable task) {
        timers.add(new Timer(deadline, timerSequence++, task));
    }

    private void run() {
        try {
            while (state.get() == RUNNING) {
                turn();
            }
            // shutting down: what was queued before, then the handles still registered
            Runnable task;
            while ((task = tasks.poll()) != null) {
                safely(task);
            }
        } catch (Throwable t) {
            LinuxLog.LOG.log(Level.ERROR, thread.getName() + ": the I/O loop failed; its transport stops answering", t);
        } finally {
            state.set(TERMINATED);
            Registration[] left = registrations.clone();
            Arrays.fill(registrations, null);
            for (Registration r : left) {
                if (r != null && r.valid) {
                    r.valid = false;
                    safely(r.handle::close);
                }
            }
            timers.clear();
            // tasks queued after the drain were refused to their senders (execute() took them back)
            release();
            terminated.countDown();
        }
    }

    /** One turn: queued tasks, due timers, then epoll (blocking only when there is nothing else to do). */
    private void turn() {
        Runnable task;
        int ran = 0;
        while (ran < TASKS_PER_TURN && (task = tasks.poll()) != null) {
            safely(task);
            ran++;
        }
        long now = System.nanoTime();
        Timer due;
        while ((due = timers.peek()) != null && due.deadline - now <= 0) {
            timers.poll();
            safely(due.task);
        }
        int timeout = 0;
        if (tasks.isEmpty() && state.get() == RUNNING) {
            Timer next = timers.peek();
            if (next == null || next.deadline - System.nanoTime() > 0) {
                if (next != null && next.deadline != armedDeadline) {
                    arm(next.deadline);
                }
                sleeping.set(true);
                // a task queued between the check above and the flag: its sender saw no sleeper to wake
                timeout = tasks.isEmpty() && state.get() == RUNNING ? -1 : 0;
            }
        }
        int n = libc.epoll_wait(epollFd, events, MAX_EVENTS, timeout);
        sleeping.set(false);
        if (n < 0) {
            int errno = Posix.errno();
            if (errno != Errno.EINTR) {
                throw new TransportException(Posix.describe("epoll_wait", errno));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int offset = i * Abi.EPOLL_EVENT_SIZE;
            int ops = events.getInt(offset);
            int fd = (int) events.getLong(offset + Abi.EPOLL_DATA_OFFSET);
            if (fd == wakeFd) {
                libc.read(wakeFd, readCounter, 8);
            } else if (fd == timerFd) {
                libc.read(timerFd, readCounter, 8);
                armedDeadline = Long.MAX_VALUE;
            } else {
                Registration r = fd >= 0 && fd < registrations.length ? registrations[fd] : null;
                if (r != null && r.valid) {
                    try {
                        r.handle.handle(EpollOps.of(ops));
                    } catch (Throwable t) {
                        LinuxLog.LOG.log(Level.WARNING, thread.getName() + ": a socket's handler failed", t);
                    }
                }
            }
        }
    }

    /** The timerfd fires at {@code deadline} (System.nanoTime), once. */
    private void arm(long deadline) {
        long delay = Math.max(1, deadline - System.nanoTime());
        timerSpec.putLong(0, 0); // it_interval: once
        timerSpec.putLong(8, 0);
        timerSpec.putLong(16, delay / 1_000_000_000L); // it_value, relative
        timerSpec.putLong(24, delay % 1_000_000_000L);
        if (libc.timerfd_settime(timerFd, 0, timerSpec, null) < 0) {
            throw new TransportException(Posix.describe("timerfd_settime", Posix.errno()));
        }
        armedDeadline = deadline;
    }

    private void safely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LinuxLog.LOG.log(Level.WARNING, thread.getName() + ": a task on the I/O thread failed", t);
        }
    }

    /** epoll_ctl with {@code fd} as the event's data; epoll_ctl may be called from any thread. */
    private synchronized void ctl(int op, int fd, int ops) {
        if (released) {
            throw new TransportException("transport is closed");
        }
        ctlEvent.putInt(0, ops);
        ctlEvent.putLong(Abi.EPOLL_DATA_OFFSET, fd);
        if (libc.epoll_ctl(epollFd, op, fd, ctlEvent) < 0) {
            throw new TransportException(Posix.describe("epoll_ctl(" + fd + ")", Posix.errno()));
        }
    }

    private synchronized void release() {
        released = true;
        closeQuietly(timerFd);
        closeQuietly(wakeFd);
        closeQuietly(epollFd);
        memory.free();
    }

    private void closeQuietly(int fd) {
        if (fd >= 0) {
            libc.close(fd);
        }
    }

    private static int check(int result, String call) {
        if (result < 0) {
            throw new TransportException(Posix.describe(call, Posix.errno()));
        }
        return result;
    }

    /** A task due at {@code deadline} (nanoTime); {@code sequence} orders timers due at the same time. */
    private record Timer(long deadline, long sequence, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    /** A socket in epoll; its ops may change from any thread, its removal is the I/O thread's. */
    private final class Registration implements EpollRegistration {
        final int fd;
        final FdHandle handle;
        volatile boolean valid = true;

        Registration(int fd, FdHandle handle) {
            this.fd = fd;
            this.handle = handle;
        }

        @Override
        public void submit(EpollOps ops) {
            if (!valid) {
                throw new IllegalStateException("the socket is no longer registered");
            }
            ctl(Abi.EPOLL_CTL_MOD, fd, ops.value());
        }

        @Override
        public void cancel() {
            if (!valid) {
                return;
            }
            valid = false;
            if (state.get() == TERMINATED) {
                return;
            }
            try {
                ctl(Abi.EPOLL_CTL_DEL, fd, 0);
            } catch (TransportException e) {
                // already gone from epoll (its fd was closed): nothing to remove
            }
            if (inLoop()) {
                forget();
            } else {
                execute(this::forget);
            }
        }

        /** On the I/O thread: drops the entry, unless a newer socket has taken its descriptor number since. */
        private void forget() {
            if (fd < registrations.length && registrations[fd] == this) {
                registrations[fd] = null;
            }
        }

        @Override
        public boolean isValid() {
            return valid;
        }
    }
}
