package io.pathprobe.macos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.pathprobe.macos.internal.FakeDarwin;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MacosIcmpDatagramProviderTest {

    @Test
    void isFoundThroughServiceLoaderUnderItsName() {
        assertThat(ServiceLoader.load(ProbeTransportProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(MacosIcmpDatagramProvider.class);
        assertThat(new MacosIcmpDatagramProvider().name()).isEqualTo("macos-icmp-dgram");
        assertThat(new MacosIcmpDatagramProvider().capabilities()).contains(TransportCapability.ICMP,
                TransportCapability.IPV4, TransportCapability.IPV6, TransportCapability.UNPRIVILEGED,
                TransportCapability.FLOW_FIXED);
    }

    @Test
    void onAnotherOsSaysWhichOsItNeedsWithoutAskingFurther() {
        Availability a = MacosIcmpDatagramProvider.availability("Linux", () -> {
            throw new AssertionError("must not look further on Linux");
        });
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.reason()).isEqualTo("not macOS (os.name=Linux)");
        assertThat(a.otherPlatform()).as("left out of the one-line notes").isTrue();
        assertThat(a.unavailabilityCause()).isInstanceOf(TransportException.class);
    }

    @Test
    void onMacOsAsksThePlatform() {
        assertThat(MacosIcmpDatagramProvider.availability("Mac OS X", Availability::available).isAvailable()).isTrue();
    }

    @Test
    void hereTheRealProviderIsUnavailableAndOpenFailsWithTheReason() {
        assumeFalse(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac"), "on macOS");
        var provider = new MacosIcmpDatagramProvider();
        assertThat(provider.availability().isAvailable()).isFalse();
        assertThat(provider.availability().reason()).startsWith("not macOS");
        assertThatThrownBy(provider::open).isInstanceOf(TransportException.class)
                .hasMessageContaining(provider.availability().reason());
    }

    @Test
    void aSocketTheKernelRefusesMakesItUnavailableWithTheErrno() {
        FakeDarwin host = new FakeDarwin();
        host.refuseSockets(13); // EACCES
        var provider = new MacosIcmpDatagramProvider(host::platform);
        assertThat(provider.availability().isAvailable()).isFalse();
        assertThat(provider.availability().reason()).contains("socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)", "EACCES");
        assertThatThrownBy(provider::open).isInstanceOf(TransportException.class).hasMessageContaining("EACCES");
    }

    @Test
    void theSystemPropertyDisablesIt() {
        String key = "pathprobe.transport.macos-icmp-dgram.disabled";
        System.setProperty(key, "true");
        try {
            var provider = new MacosIcmpDatagramProvider(new FakeDarwin()::platform);
            assertThat(provider.availability().isAvailable()).isFalse();
            assertThat(provider.availability().reason()).contains(key);
        } finally {
            System.clearProperty(key);
        }
    }

    /**
     * Loads the provider in a fresh class loader (every class of the class path defined by it, so
     * what it loads is seen), asks for availability and tries to open it: not one class of jnr-ffi,
     * jffi (which loads the native stub) or Netty may be loaded on a non-macOS system.
     */
    @Test
    void offMacOsNothingNativeIsLoaded() throws Exception {
        assumeFalse(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac"), "on macOS");
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        List<String> loaded = new CopyOnWriteArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                loaded.add(name);
                return super.findClass(name);
            }
        }) {
            Class<?> type = loader.loadClass(MacosIcmpDatagramProvider.class.getName());
            assertThat(type.getClassLoader()).isSameAs(loader);
            Object provider = type.getConstructor().newInstance();
            Object availability = type.getMethod("availability").invoke(provider);
            assertThat(availability.getClass().getMethod("reason").invoke(availability)).asString().startsWith("not macOS");
            Throwable thrown = null;
            try {
                type.getMethod("open").invoke(provider);
            } catch (InvocationTargetException e) {
                thrown = e.getCause();
            }
            assertThat(thrown).isNotNull();
            assertThat(thrown.getClass().getName()).isEqualTo(TransportException.class.getName());
        }
        assertThat(loaded).contains(MacosIcmpDatagramProvider.class.getName());
        assertThat(loaded).as("classes loaded off macOS").noneMatch(n -> n.startsWith("jnr.")
                || n.startsWith("com.kenai.jffi") || n.startsWith("io.netty."));
    }
}
