package io.netwatch.bench;

import java.nio.file.Path;

/** Writes a synthetic capture: {@code WriteSyntheticCapture FILE PACKETS}. The local run's sample traffic. */
public final class WriteSyntheticCapture {
    private WriteSyntheticCapture() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: WriteSyntheticCapture FILE PACKETS");
            System.exit(2);
        }
        long n = SyntheticCapture.write(Path.of(args[0]), Long.parseLong(args[1]));
        System.out.println("wrote " + n + " packets to " + args[0]);
    }
}
