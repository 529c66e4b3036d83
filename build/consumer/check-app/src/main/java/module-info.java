/** An application that traces and checks the result against assertions: the API and pathprobe-check (docs/check.md). */
module org.example.checkapp {
    requires io.pathprobe.api;
    requires io.pathprobe.check;
}
