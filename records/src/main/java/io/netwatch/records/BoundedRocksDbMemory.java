package io.netwatch.records;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * One memory budget for all of a stream service's RocksDB stores: a shared block cache that also holds the index
 * and filter blocks and is charged for the memtables. Left to its defaults, every store of every task gets its own
 * 50 MiB cache and three 16 MiB memtables, so off-heap memory grows with stores and partitions: a 6,000,000-packet
 * run took the flow- and detection-service from 400 to 790 MiB resident, past a 768 MiB container limit. This is
 * the bounded configuration of the Kafka Streams memory-management guide.
 *
 * <p>Set as {@code rocksdb.config.setter}; {@code netwatch.rocksdb.memory.bytes} (default 64 MiB) is the budget,
 * a quarter of it for memtables.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    public static final String MEMORY_CONFIG = "netwatch.rocksdb.memory.bytes";
    static final long DEFAULT_MEMORY = 64L * 1024 * 1024;
    private static final double INDEX_FILTER_SHARE = 0.1;
    private static final long MEMTABLE_BYTES = 4L * 1024 * 1024;
    private static final long BLOCK_BYTES = 16L * 1024;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;
    private static long budget;

    /** The cache and write buffer manager every store shares, made at the first store's opening. */
    private static synchronized void shared(long bytes) {
        if (cache == null) {
            budget = bytes;
            cache = new LRUCache(bytes, -1, false, INDEX_FILTER_SHARE);
            writeBuffers = new WriteBufferManager(bytes / 4, cache);
        }
    }

    static synchronized long budget() {
        return budget;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object configured = configs.get(MEMORY_CONFIG);
        shared(configured == null ? DEFAULT_MEMORY : Long.parseLong(configured.toString().trim()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        table.setBlockSize(BLOCK_BYTES);
        options.setWriteBufferManager(writeBuffers);
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager are shared by every store and live as long as the service
    }
}
