package io.pathprobe.windows.internal;

import org.jspecify.annotations.Nullable;

/**
 * The process's one jnr-ffi binding, made on first use and kept (its failure too). Only this class
 * refers to {@link JnrIcmpApi}; nothing calls it unless the operating system is Windows.
 */
public final class NativeIcmpApi {
    private static @Nullable IcmpApi api;
    private static @Nullable RuntimeException failure;

    private NativeIcmpApi() {}

    /** The binding; throws (with the original cause) when iphlpapi.dll or kernel32.dll cannot be bound. */
    public static synchronized IcmpApi get() {
        if (api != null) {
            return api;
        }
        if (failure == null) {
            try {
                api = JnrIcmpApi.load();
                return api;
            } catch (RuntimeException | LinkageError e) {
                failure = new IllegalStateException("binding iphlpapi.dll / kernel32.dll failed: " + e, e);
            }
        }
        throw failure;
    }
}
