package io.pathprobe.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.spi.ProbeTransportProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * On an operating system other than Windows the provider is inert: loading it and asking everything
 * a tracer asks (name, priority, capabilities, availability, open) never touches jnr-ffi, so no
 * native library (jffi, iphlpapi, kernel32) can be loaded. Checked in a class loader that sees this
 * module's classes and the API, and not jnr-ffi: any use of a {@code jnr.} class would fail there,
 * and every class the provider asks for is recorded.
 */
class InertElsewhereTest {

    /** Loads this module's and the API's classes itself; refuses jnr and records every request. */
    static final class IsolatingLoader extends URLClassLoader {
        final List<String> requested = new CopyOnWriteArrayList<>();

        IsolatingLoader(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            if (name.startsWith("jnr.") || name.startsWith("com.kenai.jffi.")) {
                throw new ClassNotFoundException("jnr-ffi is not visible here: " + name);
            }
            return super.loadClass(name, resolve);
        }
    }

    private static URL location(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "asserts this JVM is not on Windows")
    void onLinuxNothingNativeIsLoaded() throws Exception {
        assertThat(System.getProperty("os.name")).as("this test is about running elsewhere than Windows")
                .doesNotStartWith("Windows");
        URL[] urls = {location(WindowsIcmpEchoProvider.class), location(ProbeTransportProvider.class),
                location(NullMarked.class)};
        try (IsolatingLoader loader = new IsolatingLoader(urls)) {
            Class<?> type = Class.forName(WindowsIcmpEchoProvider.class.getName(), true, loader);
            assertThat(type.getClassLoader()).isSameAs(loader);
            Object provider = type.getConstructor().newInstance();
            assertThat(call(provider, "name")).isEqualTo("windows-icmp-echo");
            assertThat(call(provider, "priority")).isEqualTo(300);
            assertThat((Set<?>) call(provider, "capabilities")).isNotEmpty();
            Object availability = call(provider, "availability");
            assertThat(call(availability, "isAvailable")).isEqualTo(false);
            assertThat((String) call(availability, "reason")).startsWith("not Windows (os.name=");
            Throwable thrown = null;
            try {
                call(provider, "open");
            } catch (InvocationTargetException e) {
                thrown = e.getCause();
            }
            assertThat(thrown).as("open() refuses").isNotNull();
            assertThat(thrown.getClass().getName()).isEqualTo("io.pathprobe.spi.TransportException");
            List<String> touched = new ArrayList<>();
            for (String name : loader.requested) {
                if (name.startsWith("jnr.") || name.startsWith("com.kenai.") || name.endsWith("JnrIcmpApi")
                        || name.endsWith("NativeIcmpApi")) {
                    touched.add(name);
                }
            }
            assertThat(touched).as("native classes the provider asked for").isEmpty();
        }
    }

    private static Object call(Object target, String method) throws Exception {
        Method m = target.getClass().getMethod(method);
        m.setAccessible(true);
        return m.invoke(target);
    }
}
