package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.StorageException;
import java.lang.reflect.Proxy;

/** A port of a store that does not keep what it serves: every call is refused, saying so. */
final class Unavailable {

    private Unavailable() {
    }

    static <T> T proxy(Class<T> port, String what) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "unavailable " + port.getSimpleName();
                };
            }
            throw new StorageException(StorageException.Reason.UNAVAILABLE, null,
                    "this store keeps no " + what);
        }));
    }
}
