package io.netwatch.records;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.util.Native;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Kafka compresses and decompresses LZ4 batches with lz4-java's {@code LZ4Factory.fastestInstance()}, which takes the
 * library's JNI code only when lz4-java was loaded by the system class loader, or when its native library is already
 * loaded. Quarkus loads application jars with a class loader of its own, so every service ran the pure-Java code
 * (JFR of the detection-service: {@code LZ4JavaSafeCompressor} and {@code LZ4JavaSafeDecompressor}, 8 % of its stream
 * thread), while the broker, started from the class path, ran the native one. Loading the library here makes
 * lz4-java see it loaded. Kafka chooses its decompressor once, when its LZ4 input stream class is first used, so a
 * service calls this before it starts any Kafka client. Kafka only uses the bounds-checked ("safe") decompressor, in
 * native code as in Java.
 */
public final class NativeLz4 {
    private static final Logger LOG = Logger.getLogger(NativeLz4.class.getName());
    private static boolean tried;

    private NativeLz4() {
    }

    /** Loads lz4-java's native library if it can; otherwise Kafka keeps the pure-Java code, which works the same. */
    public static synchronized void load() {
        if (tried) {
            return;
        }
        tried = true;
        try {
            Native.load();
        } catch (Throwable e) {
            // another class loader of this JVM holds the library (Quarkus tests restart the application in one
            // JVM), or there is none for this platform
            LOG.log(Level.FINE, "lz4-java's native library not loaded", e);
        }
        LOG.info("LZ4 for Kafka batches: " + (Native.isLoaded() ? "native (JNI)" : "pure Java")
                + ", " + LZ4Factory.fastestInstance());
    }
}
