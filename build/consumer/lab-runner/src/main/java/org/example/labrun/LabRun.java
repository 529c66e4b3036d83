package org.example.labrun;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Builds a small lab chain with pathprobe-lab and runs a command in the lab's host namespace, where the only
 * routes lead into the lab: {@code LabRun <hops> <silent ttl or 0> -- <command...>}, with {@code {dst}} in the
 * command replaced by the destination and {@code {path}} by the expected path (one address or {@code *} per hop).
 * Exits with the command's exit code. Needs root (it makes network namespaces).
 */
public final class LabRun {
    public static void main(String[] args) throws Exception {
        int hops = Integer.parseInt(args[0]);
        int silent = Integer.parseInt(args[1]);
        if (!args[2].equals("--")) {
            throw new IllegalArgumentException("usage: LabRun <hops> <silent ttl or 0> -- <command...>");
        }
        List<String> template = Arrays.asList(args).subList(3, args.length);
        LabBuilder builder = Lab.chain(hops).icmpUnlimited("an application's traces of one lab in a row, every hop asserted");
        if (silent > 0) {
            builder.silentHops(silent);
        }
        int rc;
        try (Lab lab = builder.build()) {
            List<String> path = new ArrayList<>();
            for (Optional<InetAddress> a : lab.expectedPath()) {
                path.add(a.map(InetAddress::getHostAddress).orElse("*"));
            }
            List<String> command = new ArrayList<>();
            for (String arg : template) {
                command.add(arg.replace("{dst}", lab.destination().getHostAddress())
                        .replace("{path}", String.join(",", path)));
            }
            System.out.println("lab " + lab.name() + ": " + hops + " hops" + (silent > 0 ? ", hop " + silent + " silent" : "")
                    + ", destination " + lab.destination().getHostAddress() + "; running in " + lab.hostNamespace() + ":");
            List<String> shown = new ArrayList<>();
            for (String arg : command) { // a class or module path: how many jars, not which
                shown.add(arg.length() > 200 ? "<" + arg.split(":").length + " jars>" : arg);
            }
            System.out.println("  " + String.join(" ", shown));
            rc = lab.command(command).inheritIO().start().waitFor();
        }
        System.exit(rc);
    }

    private LabRun() {
    }
}
