package io.netwatch.records;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The flow state's bytes are DataOutputStream's, so stores written by earlier versions read the same. */
class StateBytesTest {
    private static final List<String> TEXTS = List.of("", "a", "10.0.0.1", "2001:db8::1", "ShADadFf",
            "www.example.com", "bücher.example", "日本語.jp", "nul\0inside", "emoji \uD83D\uDE00", "x".repeat(70_000 / 3),
            "\u07ff\u0800\uffff");

    @Test
    void writesWhatADataOutputStreamWrites() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            DataOutputStream reference = new DataOutputStream(expected);
            StateBytes.Writer w = new StateBytes.Writer();
            for (int k = 0; k < 20; k++) {
                switch (random.nextInt(5)) {
                    case 0 -> {
                        int v = random.nextInt();
                        reference.writeInt(v);
                        w.writeInt(v);
                    }
                    case 1 -> {
                        long v = random.nextLong();
                        reference.writeLong(v);
                        w.writeLong(v);
                    }
                    case 2 -> {
                        int v = random.nextInt(256) - 128;
                        reference.writeByte(v);
                        w.writeByte(v);
                    }
                    case 3 -> {
                        boolean v = random.nextBoolean();
                        reference.writeBoolean(v);
                        w.writeBoolean(v);
                    }
                    default -> {
                        String v = TEXTS.get(random.nextInt(TEXTS.size()));
                        reference.writeUTF(v);
                        w.writeUTF(v);
                    }
                }
            }
            byte[] bytes = expected.toByteArray();
            assertArrayEquals(bytes, w.toByteArray(), "round " + round);
        }
    }

    @Test
    void readsWhatADataOutputStreamWrote() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        o.writeByte(-3);
        o.writeInt(Integer.MIN_VALUE);
        o.writeLong(-1L);
        o.writeLong(1234567890123L);
        o.writeBoolean(true);
        for (String s : TEXTS) {
            o.writeUTF(s);
        }
        StateBytes.Reader r = new StateBytes.Reader(b.toByteArray());
        assertEquals(-3, r.readByte());
        assertEquals(Integer.MIN_VALUE, r.readInt());
        assertEquals(-1L, r.readLong());
        assertEquals(1234567890123L, r.readLong());
        assertEquals(true, r.readBoolean());
        for (String s : TEXTS) {
            assertEquals(s, r.readUTF());
        }
        assertThrows(UncheckedIOException.class, r::readInt, "past the end");
    }

    @Test
    void textTooLongForTheLayoutIsRefused() {
        assertThrows(UncheckedIOException.class, () -> new StateBytes.Writer().writeUTF("é".repeat(40_000)));
        assertThrows(UncheckedIOException.class, () -> new StateBytes.Writer().writeUTF("a".repeat(65_536)));
    }
}
