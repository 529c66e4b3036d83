package io.pathprobe.nativecommon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    /** RFC 1071 section 3's example: the words 0001 f203 f4f5 f6f7 sum to ddf2, so the checksum is 220d. */
    private static final byte[] RFC1071 = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6,
        (byte) 0xf7};

    @Test
    void rfc1071Example() {
        assertThat(InternetChecksum.onesSum(RFC1071, 0, RFC1071.length, 0)).isEqualTo(0xddf2);
        assertThat(InternetChecksum.checksum(RFC1071, 0, RFC1071.length, 0)).isEqualTo(0x220d);
    }

    @Test
    void aMessageCarryingItsChecksumSumsToZero() {
        // an ICMPv4 echo request, identifier 1, sequence 1, no data: checksum f7fd
        byte[] echo = {8, 0, (byte) 0xf7, (byte) 0xfd, 0, 1, 0, 1};
        assertThat(InternetChecksum.checksum(echo, 0, echo.length, 0)).isZero();
        echo[2] = 0;
        echo[3] = 0;
        assertThat(InternetChecksum.checksum(echo, 0, echo.length, 0)).isEqualTo(0xf7fd);
    }

    @Test
    void anOddLastByteIsPaddedWithZero() {
        byte[] odd = {0x12, 0x34, 0x56};
        assertThat(InternetChecksum.onesSum(odd, 0, 3, 0)).isEqualTo(0x1234 + 0x5600);
        assertThat(InternetChecksum.onesSum(new byte[] {9, 0x12, 0x34, 0x56}, 1, 3, 0)).isEqualTo(0x6834);
    }

    @Test
    void onesAddCarriesAroundAndKeepsNonZeroSumsNonZero() {
        assertThat(InternetChecksum.onesAdd(0xffff, 1)).isEqualTo(1);
        assertThat(InternetChecksum.onesAdd(0xffff, 0xffff)).isEqualTo(0xffff);
        assertThat(InternetChecksum.onesAdd(0x8000, 0x8000)).isEqualTo(1);
        assertThat(InternetChecksum.onesAdd(0, 0)).isZero();
    }

    /** Any checksum but 0xffff, which ones' complement sends as 0 (a non-zero sum is never 0). */
    @Test
    void theCompensationWordSteersTheChecksum() {
        int sum = InternetChecksum.onesSum(RFC1071, 0, RFC1071.length, 0);
        for (int target : new int[] {1, 0x1234, 0xfffe}) {
            int word = InternetChecksum.compensation(sum, target);
            assertThat(~InternetChecksum.onesAdd(sum, word) & 0xffff).isEqualTo(target);
        }
    }

    @Test
    void pseudoHeaderOfIpv4() {
        byte[] source = {(byte) 192, 0, 2, 1};
        byte[] destination = {(byte) 198, 51, 100, 7};
        int expected = 0;
        for (int word : new int[] {0xc000, 0x0201, 0xc633, 0x6407, 17, 0, 20}) {
            expected = InternetChecksum.onesAdd(expected, word);
        }
        assertThat(InternetChecksum.pseudoHeaderSum(source, destination, 17, 20)).isEqualTo(expected);
    }
}
