package io.pathprobe.time;

/** {@link System#nanoTime()}, with a name when printed. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "Ticker.systemTicker()";
    }
}
