/** An application that reads GeoIP databases and PeeringDB dumps: it requires their readers' modules. */
module org.example.geoapp {
    requires io.pathprobe.api;
    requires com.maxmind.db;
    requires com.fasterxml.jackson.databind;
}
