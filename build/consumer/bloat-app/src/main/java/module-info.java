/** An application that measures bufferbloat: the API, and the bufferbloat module for its responsiveness server. */
module org.example.bloatapp {
    requires io.pathprobe.api;
    requires io.pathprobe.bufferbloat; // io.pathprobe.server.ResponsivenessServer, to have a server on loopback
}
