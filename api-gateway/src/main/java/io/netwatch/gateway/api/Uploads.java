package io.netwatch.gateway.api;

import io.netwatch.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Uploaded captures on disk, named by a random id. Only files that start like PCAP (either byte order, micro- or
 * nanosecond) or PCAPNG are kept, and only up to the configured size, so the directory holds nothing else.
 */
@ApplicationScoped
public class Uploads {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    /** What was stored. */
    public record Upload(String uploadId, String name, long bytes, String format) {
    }

    @Inject
    GatewayConfig config;

    public Upload store(InputStream body, String name) {
        Path dir = config.upload().dir();
        String id = UUID.randomUUID().toString().replace("-", "");
        Path target = dir.resolve(id + ".cap");
        long max = config.upload().maxBytes();
        try {
            Files.createDirectories(dir);
            byte[] head = body.readNBytes(4);
            String format = format(head);
            if (format == null) {
                throw new ApiException(415, "not-a-capture", "the upload is not a PCAP or PCAPNG file (it starts "
                        + "with " + hex(head) + "); save captures as pcap or pcapng");
            }
            long size = head.length;
            try (OutputStream out = Files.newOutputStream(target)) {
                out.write(head);
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = body.read(buf)) > 0) {
                    size += n;
                    if (size > max) {
                        throw new ApiException(413, "too-large", "captures are limited to " + max + " bytes "
                                + "(netwatch.gateway.upload.max-bytes)");
                    }
                    out.write(buf, 0, n);
                }
            }
            return new Upload(id, name, size, format);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the upload in " + dir, e);
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // the original failure is what the client needs to hear
            }
            throw e;
        }
    }

    public Path path(String uploadId) {
        if (!ID.matcher(uploadId).matches()) {
            throw ApiException.badRequest("upload_id is the id /api/uploads answered (32 hex digits)");
        }
        Path p = config.upload().dir().resolve(uploadId + ".cap");
        if (!Files.isRegularFile(p)) {
            throw ApiException.notFound("no upload " + uploadId);
        }
        return p.toAbsolutePath();
    }

    static String format(byte[] head) {
        if (head.length < 4) {
            return null;
        }
        int magic = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        return switch (magic) {
            case 0xa1b2c3d4, 0xd4c3b2a1 -> "pcap";
            case 0xa1b23c4d, 0x4d3cb2a1 -> "pcap-ns";
            case 0x0a0d0d0a -> "pcapng";
            default -> null;
        };
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.length() == 0 ? "nothing" : sb.toString();
    }
}
