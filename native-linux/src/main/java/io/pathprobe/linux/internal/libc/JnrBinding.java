package io.pathprobe.linux.internal.libc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import jnr.ffi.LibraryLoader;

/**
 * {@link LibC} through jnr-ffi's generated stub ({@code -Dpathprobe.linux.binding=jnr}): the binding before {@link
 * DirectLibC}, kept as the way back should jffi's invokers misbehave somewhere. Loads jnr-ffi and ASM; errno lands in
 * the same jffi {@code LastError}. Each {@link LibC} function calls the {@link JnrLibC} function of its name, every
 * {@link Pointer} passed as its address (a null one as 0), through a proxy: slower per call than the default, which
 * a fallback may be.
 */
public final class JnrBinding {
    private JnrBinding() {}

    /** Binds libc now: a missing function fails here. */
    public static LibC load() {
        JnrLibC c = LibraryLoader.create(JnrLibC.class).failImmediately().load("c");
        Map<Method, Method> functions = new HashMap<>();
        for (Method m : LibC.class.getMethods()) {
            Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                types[i] = types[i] == Pointer.class ? long.class : types[i];
            }
            try {
                functions.put(m, JnrLibC.class.getMethod(m.getName(), types));
            } catch (NoSuchMethodException e) {
                throw new LinkageError("JnrLibC has no " + m, e);
            }
        }
        return (LibC) Proxy.newProxyInstance(LibC.class.getClassLoader(), new Class<?>[] {LibC.class},
                (proxy, m, args) -> {
                    Method f = functions.get(m);
                    if (f == null) { // equals, hashCode, toString
                        return m.getName().equals("equals") ? (Object) (proxy == args[0])
                                : m.getName().equals("hashCode") ? System.identityHashCode(proxy) : "jnr-ffi libc";
                    }
                    Class<?>[] types = m.getParameterTypes();
                    for (int i = 0; i < types.length; i++) {
                        if (types[i] == Pointer.class) {
                            args[i] = args[i] == null ? 0L : ((Pointer) args[i]).address();
                        }
                    }
                    try {
                        return f.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
