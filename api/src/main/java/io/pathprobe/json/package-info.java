/**
 * Results as JSON without a JSON library. pathprobe's own versioned documents (the command line's
 * {@code --format json}) each have a writer beside their feature: {@link io.pathprobe.json.TraceJson},
 * {@link io.pathprobe.json.PingJson}, {@link io.pathprobe.json.MultipathJson},
 * {@link io.pathprobe.json.BufferbloatJson}, {@link io.pathprobe.json.MonitorJson} (with the round line of
 * {@code pathprobe mtr --ndjson}), {@link io.pathprobe.json.MtuJson} and {@link io.pathprobe.json.ErrorJson};
 * {@link io.pathprobe.json.PathProbeJson} writes any of their trees and the parts they share.
 * {@link io.pathprobe.json.AtlasJson}
 * writes the RIPE Atlas result structure (fw 5000) for traceroute and ping, and multipath discovery in the same
 * style (the command line's {@code --format atlas}). {@link io.pathprobe.json.ScamperJson} writes scamper's
 * {@code -O json} objects for a trace ({@code "type":"trace"}) and a multipath discovery ({@code "type":"tracelb"})
 * (the command line's {@code --format scamper}).
 *
 * <p><b>Stability.</b> External tools read the documents' field names: a field is added, never renamed nor
 * removed, and every document starts with {@code schemaVersion}, raised whenever fields are added (each writer's
 * {@code SCHEMA_VERSION}, whose documentation lists what every version added). Conventions: addresses as text
 * (IPv6 in RFC 5952 form), {@code null} for what is not known (a silent hop's address, the RTT statistics of a
 * hop without answers), times in milliseconds where the field name says so ({@code durationMs}, {@code rttMs},
 * {@code minMs}; rounded to the microsecond except in the ping document), loss as a fraction from 0 to 1,
 * enumerations by their Java names, timestamps in ISO-8601 ({@code startedAt}). A number that is not finite
 * (NaN, infinity) is written {@code null}.
 *
 * <p><b>Layout.</b> The documents are indented two spaces per level with {@code "name" : value} pairs and arrays
 * on one line (the layout of Jackson's default pretty printer, which earlier versions of the command line used),
 * UTF-8 text when written to a byte stream; the lines of an NDJSON stream are compact.
 *
 * <p>The {@code tree} methods give the same documents (and their parts) as nested
 * {@link java.util.LinkedHashMap}s in field order, {@link java.util.List}s, {@link String}s, {@link Integer}s,
 * {@link Long}s, {@link Double}s, {@link Boolean}s and {@code null}s, for callers who want to change or embed
 * them before writing.
 */
@NullMarked
package io.pathprobe.json;

import org.jspecify.annotations.NullMarked;
