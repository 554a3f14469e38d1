package io.netwatch.bench;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Kafka's LZ4 work, as lz4-java's pure-Java code and as its native code do it: packet records of a capture (the
 * JSON of {@code netwatch.packets.v1}) in 64 KiB blocks, as Kafka's LZ4 frames cut them, compressed with the fast
 * compressor and decompressed with the bounds-checked one, which are the two Kafka uses. Rounds alternate between the
 * two, in one JVM; the medians are printed.
 *
 * <p>{@code ./netwatch bench-lz4 [--packets N] [--mix short-flows|campus] [--rounds R]}
 */
public final class Lz4Bench {
    private static final int BLOCK = 64 * 1024;

    public static void main(String[] args) throws Exception {
        long packets = 200_000;
        int rounds = 7;
        SyntheticCapture.Mix mix = SyntheticCapture.Mix.CAMPUS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--packets" -> packets = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--mix" -> mix = SyntheticCapture.Mix.of(args[++i]);
                default -> {
                    System.err.println("usage: Lz4Bench [--packets N] [--mix short-flows|campus] [--rounds R]");
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "netwatch-bench"));
        Path file = dir.resolve("lz4-" + packets + "-" + mix.label + ".pcap");
        SyntheticCapture.write(file, packets, SyntheticCapture.DEFAULT_START_MICROS, 0,
                SyntheticCapture.DEFAULT_RATE_PPS, mix);
        List<byte[]> blocks = blocks(file);
        Files.deleteIfExists(file);
        long bytes = (long) blocks.size() * BLOCK;
        System.out.printf(Locale.ROOT, "%d packet records of the %s mix: %d blocks of 64 KiB%n", packets, mix.label,
                blocks.size());
        LZ4Factory java = LZ4Factory.fastestJavaInstance();
        LZ4Factory jni = LZ4Factory.nativeInstance();
        List<double[]> javaRuns = new ArrayList<>();
        List<double[]> jniRuns = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            javaRuns.add(round(java, blocks));
            jniRuns.add(round(jni, blocks));
        }
        report(java + " (the pure-Java code Kafka used in the Quarkus services)", javaRuns, bytes);
        report(jni + " (native, since NativeLz4)", jniRuns, bytes);
    }

    /** Packet records as JSON, cut into full 64 KiB blocks. */
    private static List<byte[]> blocks(Path file) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        CaptureJson.readAll(file, (key, json) -> all.writeBytes(json));
        byte[] b = all.toByteArray();
        List<byte[]> blocks = new ArrayList<>();
        for (int off = 0; off + BLOCK <= b.length; off += BLOCK) {
            byte[] block = new byte[BLOCK];
            System.arraycopy(b, off, block, 0, BLOCK);
            blocks.add(block);
        }
        return blocks;
    }

    /** Seconds to compress every block, seconds to decompress them, compressed bytes. */
    private static double[] round(LZ4Factory factory, List<byte[]> blocks) {
        LZ4Compressor compressor = factory.fastCompressor();
        LZ4SafeDecompressor decompressor = factory.safeDecompressor();
        byte[] out = new byte[compressor.maxCompressedLength(BLOCK)];
        byte[] back = new byte[BLOCK];
        List<byte[]> compressed = new ArrayList<>(blocks.size());
        long t0 = System.nanoTime();
        long size = 0;
        for (byte[] block : blocks) {
            int n = compressor.compress(block, 0, BLOCK, out, 0, out.length);
            size += n;
            byte[] c = new byte[n];
            System.arraycopy(out, 0, c, 0, n);
            compressed.add(c);
        }
        long t1 = System.nanoTime();
        for (byte[] c : compressed) {
            if (decompressor.decompress(c, 0, c.length, back, 0) != BLOCK) {
                throw new IllegalStateException("a block did not decompress to its size");
            }
        }
        long t2 = System.nanoTime();
        return new double[]{(t1 - t0) / 1e9, (t2 - t1) / 1e9, size};
    }

    private static void report(String name, List<double[]> runs, long bytes) {
        System.out.printf(Locale.ROOT, "%s: compress %.0f MB/s, decompress %.0f MB/s, ratio %.2f%n", name,
                bytes / median(runs, 0) / 1e6, bytes / median(runs, 1) / 1e6, bytes / runs.get(0)[2]);
    }

    private static double median(List<double[]> runs, int i) {
        List<Double> v = new ArrayList<>();
        runs.forEach(r -> v.add(r[i]));
        Collections.sort(v);
        return v.get(v.size() / 2);
    }
}
