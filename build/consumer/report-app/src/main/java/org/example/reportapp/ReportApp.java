package org.example.reportapp;

import io.pathprobe.PathTracer;
import io.pathprobe.evidence.Masking;
import io.pathprobe.probe.AddressText;
import io.pathprobe.report.HtmlReport;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Traces and writes the trace's offline HTML report, as docs/report.md shows, with only the dependencies
 * docs/installation.md names (pathprobe-core, pathprobe-report): {@code ReportApp <destination> <expected path: one
 * address or * per hop, comma-separated>}. The trace must reach the destination over the expected path, and the
 * report must hold the policy that fetches nothing, every hop's address and the path drawn. Exits 0 when it all held.
 */
public final class ReportApp {
    public static void main(String[] args) throws Exception {
        InetAddress destination = InetAddress.getByName(args[0]); // a literal: no resolver involved
        List<String> expected = List.of(args[1].split(","));
        Module module = ReportApp.class.getModule();
        System.out.println("report-app on JDK " + Runtime.version() + ", "
                + (module.isNamed() ? "module " + module.getName() + " (module path)" : "class path"));
        TraceResult r;
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            r = tracer.trace(TraceRequest.builder(destination).build());
        }
        List<String> got = new ArrayList<>();
        for (Hop h : r.hops()) {
            got.add(h.address().map(AddressText::of).orElse("*"));
        }
        boolean ok = r.status() == TraceStatus.DESTINATION_REACHED && got.equals(expected);
        System.out.println("traced: " + r.status() + ", hops " + got + (ok ? " as expected" : ", expected " + expected));
        String html = HtmlReport.of(r, Masking.NONE);
        Path file = Files.createTempFile("report-app-", ".html");
        Files.writeString(file, html);
        boolean drawn = html.contains("content=\"" + HtmlReport.CONTENT_SECURITY_POLICY + "\"")
                && html.contains("<svg") && got.stream().filter(a -> !a.equals("*")).allMatch(html::contains);
        System.out.println("report: " + Files.size(file) + " bytes" + (drawn ? ", every hop drawn, nothing fetched: OK"
                : ": FAILED, not the trace's report"));
        Files.deleteIfExists(file);
        ok &= drawn;
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }
}
