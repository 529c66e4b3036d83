package io.pathprobe.enrich;

import io.pathprobe.util.Checks;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Where an address is, as an offline GeoIP database (a MaxMind GeoIP2/GeoLite2 or IPinfo mmdb file, given with
 * {@link io.pathprobe.PathTracerBuilder#geoDatabase}) places it. A database places an address's registration or
 * its operator's claims, not the router: a hop's location is a hint, as in every traceroute map.
 *
 * @param countryCode the ISO 3166-1 alpha-2 country code, e.g. "DE", if known
 * @param country the country's English name, e.g. "Germany", if known
 * @param city the city's English name, e.g. "Frankfurt am Main", if known
 * @param latitude the latitude in degrees, if known
 * @param longitude the longitude in degrees, if known
 * @param accuracyRadiusKm the radius in km around the coordinates the address is likely in, where the database
 *     says it (MaxMind's {@code location.accuracy_radius})
 * @param database the database(s) it came from: their type as their metadata names it, e.g. "GeoLite2-City"
 */
public record GeoLocation(Optional<String> countryCode, Optional<String> country, Optional<String> city,
        OptionalDouble latitude, OptionalDouble longitude, OptionalInt accuracyRadiusKm, String database) {
    /**
     * Checks the components (see the record's description).
     *
     * @param countryCode the ISO 3166-1 alpha-2 country code, e.g. "DE", if known
     * @param country the country's English name, e.g. "Germany", if known
     * @param city the city's English name, e.g. "Frankfurt am Main", if known
     * @param latitude the latitude in degrees, if known
     * @param longitude the longitude in degrees, if known
     * @param accuracyRadiusKm the radius in km around the coordinates the address is likely in, where the
     *     database says it
     * @param database the database(s) it came from, e.g. "GeoLite2-City"
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the latitude is not -90 to 90 or the longitude not -180 to 180
     */
    public GeoLocation {
        Checks.nonNull("countryCode", countryCode, "country", country, "city", city, "latitude", latitude,
                "longitude", longitude, "accuracyRadiusKm", accuracyRadiusKm, "database", database);
        countryCode = Printable.of(countryCode);
        country = Printable.of(country);
        city = Printable.of(city);
        if (latitude.isPresent() && !(Math.abs(latitude.getAsDouble()) <= 90)) {
            throw new IllegalArgumentException("latitude must be -90..90, was " + latitude.getAsDouble());
        }
        if (longitude.isPresent() && !(Math.abs(longitude.getAsDouble()) <= 180)) {
            throw new IllegalArgumentException("longitude must be -180..180, was " + longitude.getAsDouble());
        }
    }

    /**
     * {@return the place in a few words: {@code "DE Frankfurt"} (the country code and the city, as a hop table
     * shows it), the country's name where there is no code, {@code "?"} when the database knows neither}
     */
    public String shortText() {
        String c = countryCode.or(() -> country).orElse("");
        String text = (c + " " + city.orElse("")).strip();
        return text.isEmpty() ? "?" : text;
    }

    /** {@code "DE Frankfurt"}: {@link #shortText()}. */
    @Override
    public String toString() {
        return shortText();
    }
}
