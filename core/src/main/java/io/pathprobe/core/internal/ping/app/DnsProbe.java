package io.pathprobe.core.internal.ping.app;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.pathprobe.core.internal.ping.app.ProbeOutcome.FailureKind;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A DNS query over UDP to one server, timed from the write of the query to the arrival of the answer.
 *
 * <p>Each probe has its own connected Netty {@link DatagramChannel} on a port the kernel picks (random on
 * Linux), and a random 16-bit query id (from a {@link java.security.SecureRandom}). A connected socket
 * receives only the server's datagrams, and also the ICMP errors of its query: port unreachable is
 * {@link FailureKind#REFUSED REFUSED}, host or network unreachable {@link FailureKind#UNREACHABLE}.
 *
 * <p>Matching: a datagram is this probe's answer when it is at least a header long, has the query's
 * id, the QR bit, and the query's question (name, case-insensitively, type and class; an answer with
 * an empty question section, as some servers send with FORMERR, is matched on the id alone). Anything
 * else is ignored and the probe goes on waiting, so a forged or stale datagram can only lead to a
 * timeout, never to a wrong round trip time. A datagram with the query's id and QR bit that is not a
 * valid DNS message is {@link FailureKind#MALFORMED MALFORMED}.
 *
 * <p>Any valid answer is a {@link ProbeOutcome.Reply} with its RCODE as {@code code}: NXDOMAIN, SERVFAIL
 * and REFUSED answers were answers, and their round trip is as real as a NOERROR's. A truncated
 * answer (TC) is a reply too ({@code detail} says "truncated"); there is no retry over TCP, which
 * would time a second exchange. The query has RD set and no EDNS.
 *
 * <p>There is no default server: the caller names one (the engine: the one the user gave).
 *
 * <p>Why not dnsjava's own {@code SimpleResolver.sendAsync}: its NIO client is one selector thread per
 * JVM, shared with every other dnsjava user in the process, with a JVM shutdown hook; it checks
 * timeouts only in selector rounds that found nothing ready (up to a second late, and not at all
 * while other answers keep arriving); it fails the query on the first datagram with a wrong id instead
 * of ignoring it; its future cannot be cancelled (the socket stays open until the timeout); and the
 * send happens on its thread after a hand-off, so our clock could not be read just before the write.
 * dnsjava is used here for what it is best at: building the query and parsing the answer.
 */
public final class DnsProbe extends AbstractProbe {
    /** The DNS port. */
    public static final int PORT = 53;

    /**
     * What to ask and whom.
     *
     * @param server the DNS server (no default: loopback in tests, the user's choice otherwise)
     * @param name the name to look up; a relative name is taken as absolute
     * @param type the query type ({@link Type#A}, {@link Type#AAAA}, ...)
     * @param timeout per probe
     */
    public record Config(InetSocketAddress server, Name name, int type, Duration timeout) {
        public Config {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(timeout, "timeout");
            if (server.isUnresolved()) {
                throw new IllegalArgumentException("the DNS server must be an address: " + server);
            }
            Type.check(type);
            if (!name.isAbsolute()) {
                try {
                    name = Name.concatenate(name, Name.root);
                } catch (org.xbill.DNS.NameTooLongException e) {
                    throw new IllegalArgumentException("name too long: " + name, e);
                }
            }
        }

        /** An A query for {@code name} to {@code server}, with a timeout. */
        public static Config a(InetSocketAddress server, String name, Duration timeout) {
            try {
                return new Config(server, Name.fromString(name, Name.root), Type.A, timeout);
            } catch (TextParseException e) {
                throw new IllegalArgumentException("not a DNS name: " + name, e);
            }
        }
    }

    private final Config config;
    /** The query on the wire, id 0; each probe copies it and writes its own id into the first 2 bytes. */
    private final byte[] template;

    public DnsProbe(AppProbeLoop loop, Config config) {
        super(loop, config.timeout());
        this.config = config;
        Message query = Message.newQuery(Record.newRecord(config.name(), config.type(), DClass.IN));
        query.getHeader().setID(0);
        this.template = query.toWire();
    }

    public Config config() {
        return config;
    }

    @Override
    AppProbeLoop.Exchange newExchange(int sequence, Callback cb) {
        return new Query(this, sequence, cb);
    }

    private static final class Query extends AppProbeLoop.Exchange {
        private final DnsProbe probe;
        private int id;
        private long sentNanos;
        private int ignored;

        Query(DnsProbe probe, int sequence, Callback cb) {
            super(probe, sequence, cb);
            this.probe = probe;
        }

        @Override
        void begin(AppProbeLoop loop, long now) {
            InetSocketAddress server = probe.config.server();
            DatagramChannel ch = loop.loops().newDatagramChannel(server.getAddress() instanceof Inet6Address);
            channel = ch;
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    long arrived = loop.now();
                    try {
                        ByteBuf content = msg instanceof DatagramPacket p ? p.content()
                                : msg instanceof ByteBuf b ? b : null;
                        if (content != null && !done) {
                            accept(loop, content.nioBuffer(), arrived);
                        }
                    } finally {
                        ReferenceCountUtil.release(msg);
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    loop.fail(Query.this, cause); // PortUnreachableException on ICMP port unreachable
                }
            });
            loop.eventLoop().register(ch).addListener(registered -> {
                if (!registered.isSuccess()) {
                    loop.fail(this, registered.cause());
                } else if (!done) {
                    ch.connect(server).addListener(connected -> {
                        if (!connected.isSuccess()) {
                            loop.fail(this, connected.cause());
                        } else if (!done) {
                            send(loop, ch);
                        }
                    });
                }
            });
        }

        private void send(AppProbeLoop loop, DatagramChannel ch) {
            byte[] wire = probe.template.clone();
            id = loop.random.nextInt(0x10000);
            wire[0] = (byte) (id >>> 8);
            wire[1] = (byte) id;
            sentNanos = loop.now();
            ch.writeAndFlush(Unpooled.wrappedBuffer(wire)).addListener(w -> {
                if (!w.isSuccess()) {
                    loop.fail(this, w.cause());
                }
            });
        }

        private void accept(AppProbeLoop loop, ByteBuffer buf, long arrived) {
            if (buf.remaining() < 12 || (buf.getShort(0) & 0xffff) != id || (buf.get(2) & 0x80) == 0) {
                ignored++;
                return;
            }
            byte[] in = new byte[buf.remaining()];
            buf.get(in);
            Message answer;
            try {
                answer = new Message(in);
            } catch (IOException e) { // WireParseException, mostly
                loop.finish(this, failure(FailureKind.MALFORMED, arrived, Failures.describe(e)));
                return;
            }
            Record q = answer.getQuestion();
            Config c = probe.config;
            if (q != null && !(q.getName().equals(c.name()) && q.getType() == c.type()
                    && q.getDClass() == DClass.IN)) {
                ignored++;
                return;
            }
            int rcode = answer.getRcode();
            int answers = answer.getSection(Section.ANSWER).size();
            String detail = Rcode.string(rcode) + ", " + answers + (answers == 1 ? " answer" : " answers")
                    + (answer.getHeader().getFlag(Flags.TC) ? ", truncated" : "");
            loop.finish(this, new ProbeOutcome.Reply(sequence, sentNanos, arrived - sentNanos, rcode, detail, 0));
        }

        @Override
        String timeoutDetail() {
            return super.timeoutDetail() + (ignored == 0 ? ""
                    : " (" + ignored + " datagrams not matching the query ignored)");
        }
    }
}
