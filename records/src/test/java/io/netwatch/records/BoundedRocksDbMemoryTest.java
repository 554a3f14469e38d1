package io.netwatch.records;

import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every store gets the shared, bounded cache and small memtables, whatever the defaults were. */
class BoundedRocksDbMemoryTest {
    @Test
    void everyStoreSharesOneBudgetSetByTheFirst() {
        RocksDB.loadLibrary();
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        try (Options a = new Options().setTableFormatConfig(new BlockBasedTableConfig());
             Options b = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
            setter.setConfig("flow-state-store", a, Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, "33554432"));
            setter.setConfig("traffic-window-store", b, Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, "999"));
            assertEquals(32L * 1024 * 1024, BoundedRocksDbMemory.budget(), "the first store's setting holds for all");
            for (Options o : new Options[] {a, b}) {
                BlockBasedTableConfig t = (BlockBasedTableConfig) o.tableFormatConfig();
                assertTrue(t.cacheIndexAndFilterBlocks(), "index and filter blocks are charged to the cache");
                assertEquals(16 * 1024, t.blockSize());
                assertEquals(4L * 1024 * 1024, o.writeBufferSize());
                assertEquals(2, o.maxWriteBufferNumber());
            }
        }
    }
}
