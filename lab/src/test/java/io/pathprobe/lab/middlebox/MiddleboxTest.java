package io.pathprobe.lab.middlebox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The nftables table a middlebox router gets (no lab: the rules as text). */
class MiddleboxTest {
    @Test
    void everyRewriteOfARouterIsOneRuleOrTwoInOneForwardChain() {
        String table = Middlebox.table(List.of(new Middlebox(Middlebox.Kind.DSCP, 3, 0),
                new Middlebox(Middlebox.Kind.CLEAR_ECN, 3, 0), new Middlebox(Middlebox.Kind.TTL, 3, 64),
                new Middlebox(Middlebox.Kind.MSS, 3, 1200)));
        assertThat(table).isEqualTo("""
                table inet pathprobe_middlebox {
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                        iifname "up*" ip dscp set 0
                        iifname "up*" ip6 dscp set 0
                        iifname "up*" ip ecn set not-ect
                        iifname "up*" ip6 ecn set not-ect
                        iifname "up*" ip ttl set 64
                        iifname "up*" ip6 hoplimit set 64
                        iifname "up*" tcp flags syn tcp option maxseg size set 1200
                    }
                }
                """);
    }

    @Test
    void describesItself() {
        assertThat(new Middlebox(Middlebox.Kind.DSCP, 2, 10)).hasToString("DSCP set to 10 at router 2");
        assertThat(new Middlebox(Middlebox.Kind.MSS, 6, 1200)).hasToString("MSS clamped to 1200 at router 6");
    }
}
