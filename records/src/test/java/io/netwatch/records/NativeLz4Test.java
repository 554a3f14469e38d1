package io.netwatch.records;

import net.jpountz.util.Native;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class NativeLz4Test {
    /**
     * As in a Quarkus service: lz4-java loaded by an application class loader, not the system one. Without the load,
     * Kafka's {@code LZ4Factory.fastestInstance()} is the pure-Java code; after it, the native one.
     */
    @Test
    void kafkaGetsTheNativeCodecUnderAnApplicationClassLoader() throws Exception {
        // a JVM binds the native library to one class loader: if the system one has it, this case cannot be built
        assumeFalse(Native.isLoaded(), "lz4-java's native library is already loaded by the system class loader");
        URL lz4 = Native.class.getProtectionDomain().getCodeSource().getLocation();
        URL records = NativeLz4.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader app = new URLClassLoader(new URL[]{records, lz4}, ClassLoader.getPlatformClassLoader())) {
            assertEquals("LZ4Factory:JavaSafe", fastestInstance(app));
            app.loadClass(NativeLz4.class.getName()).getMethod("load").invoke(null);
            assertEquals("LZ4Factory:JNI", fastestInstance(app));
        }
    }

    private static String fastestInstance(ClassLoader loader) throws Exception {
        return loader.loadClass("net.jpountz.lz4.LZ4Factory").getMethod("fastestInstance").invoke(null).toString();
    }
}
