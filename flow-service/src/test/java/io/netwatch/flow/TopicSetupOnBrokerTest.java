package io.netwatch.flow;

import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.records.Topic;
import io.netwatch.records.TopicSetup;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Services start side by side on a fresh broker and create the same topics at once; each then describes its
 * inputs straight away (the detection-service sizes its observation partitioner so). A topic another service has
 * just created is known to the controller a moment before the broker serves it, and a benchmark run lost its
 * detection-service to that moment ("This server does not host this topic-partition"). Here four starters race
 * for each round's new topics, and every one of them must see every topic with its partitions.
 */
class TopicSetupOnBrokerTest {
    @Test
    void servicesStartingTogetherEachSeeTheTopicsTheyCreated() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        ExecutorService starters = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                String run = "setup-" + UUID.randomUUID().toString().substring(0, 8);
                List<Topic<?, ?>> topics = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (int t = 0; t < 5; t++) {
                    topics.add(new Topic<>(run + ".t" + t, null, null, false, 0, 0));
                    names.add(run + ".t" + t);
                }
                List<Future<Map<String, Integer>>> seen = new ArrayList<>();
                for (int s = 0; s < 4; s++) {
                    Callable<Map<String, Integer>> start = () -> {
                        TopicSetup.ensure(bootstrap, 3, (short) 1, topics);
                        return TopicSetup.partitions(bootstrap, names);
                    };
                    seen.add(starters.submit(start));
                }
                for (Future<Map<String, Integer>> f : seen) {
                    Map<String, Integer> partitions = f.get();
                    assertEquals(names.size(), partitions.size(), "every topic described: " + partitions);
                    partitions.forEach((name, n) -> assertEquals(3, n, name));
                }
            }
        } finally {
            starters.shutdownNow();
        }
    }
}
