package io.pathprobe.agent.kafka;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The broker's child JVM: {@code BrokerMain CLASS ARGS...} runs {@code CLASS.main(ARGS)} (kafka.Kafka, or
 * kafka.tools.StorageTool to format), and ends the JVM at once when its standard input closes: the test JVM
 * holds that pipe, so a test JVM that dies (even by SIGKILL) takes its broker with it.
 */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) throws Exception {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the test JVM writes nothing: this ends at end of file
                }
            } catch (IOException e) {
                // the pipe broke: the same
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
