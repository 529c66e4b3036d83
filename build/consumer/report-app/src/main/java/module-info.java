/** An application that traces and writes the offline HTML report: the API and the report (docs/report.md). */
module org.example.reportapp {
    requires io.pathprobe.api;
    requires io.pathprobe.report;
}
