package org.example.checkapp;

import io.pathprobe.PathTracer;
import io.pathprobe.check.Assertion;
import io.pathprobe.check.Assertions;
import io.pathprobe.check.Verdict;
import io.pathprobe.check.Waypoint;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.util.List;

/**
 * Traces and checks the result as docs/check.md shows, with only the dependencies docs/installation.md names
 * (pathprobe-core, pathprobe-check): {@code CheckApp <destination> <expected path: one address or * per hop,
 * comma-separated>}. Assertions the lab's path meets must hold (it reaches the destination within its hop count,
 * through its first router) and ones it breaks must fail (one hop fewer, avoiding that router). Exits 0 when so.
 */
public final class CheckApp {
    public static void main(String[] args) throws Exception {
        InetAddress destination = InetAddress.getByName(args[0]); // a literal: no resolver involved
        List<String> expected = List.of(args[1].split(","));
        Module module = CheckApp.class.getModule();
        System.out.println("check-app on JDK " + Runtime.version() + ", "
                + (module.isNamed() ? "module " + module.getName() + " (module path)" : "class path"));
        TraceResult r;
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            r = tracer.trace(TraceRequest.builder(destination).build());
        }
        Waypoint first = Waypoint.parse(expected.get(0));
        List<Verdict> meets = Assertions.check(r, List.of(new Assertion.MustReach(),
                new Assertion.MaxHops(expected.size()), new Assertion.MustTraverse(first)));
        List<Verdict> breaks = Assertions.check(r, List.of(new Assertion.MaxHops(expected.size() - 1),
                new Assertion.MustNotTraverse(first)));
        meets.forEach(v -> System.out.println("  " + v));
        breaks.forEach(v -> System.out.println("  " + v));
        boolean ok = Assertions.allHeld(meets)
                && breaks.stream().allMatch(v -> v.state() == Verdict.State.FAILED);
        System.out.println(ok ? "OK" : "FAILED: the path's assertions should hold and the broken ones fail");
        System.exit(ok ? 0 : 1);
    }
}
