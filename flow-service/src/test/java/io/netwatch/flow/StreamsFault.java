package io.netwatch.flow;

import io.netwatch.broker.RestartableBroker;
import io.netwatch.broker.ServiceProcess;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What strikes a packaged stream service between the two halves of its input, in the fault tests of every stream
 * service. It sends the rest of the input itself, at the point the fault calls for, and returns the instance that
 * runs afterwards.
 */
@FunctionalInterface
public interface StreamsFault {
    ServiceProcess strike(ServiceProcess running, Runnable sendRest) throws Exception;

    /** A wait for the service to reach the point where the fault strikes. */
    interface Until {
        void await() throws Exception;
    }

    /**
     * SIGKILL once {@code inFlight} has returned (it waits for work written inside the open transaction); the rest
     * of the input goes out while the service is dead, and a new instance takes over on the same state folder.
     */
    static StreamsFault kill(Until inFlight, ServiceProcess.Launcher launcher) {
        return (running, sendRest) -> {
            inFlight.await();
            running.kill(); // mid-transaction: work written, offsets not committed
            sendRest.run();
            return launcher.start(StreamsFaultSettings.QUICK_TAKEOVER);
        };
    }

    /**
     * The broker stopped for 5 s once {@code atWork} has returned, and started again on its data and ports; the
     * service must live through it. The rest of the input goes out once the broker is back.
     */
    static StreamsFault brokerRestart(RestartableBroker broker, Until atWork) {
        return brokerDown(broker, false, atWork);
    }

    /**
     * As {@link #brokerRestart}, or with {@code kill} the broker killed with SIGKILL (a process of its own: {@link
     * RestartableBroker#startProcess}) and started 5 s later: it recovers its logs and rebuilds the state of
     * producers and transactions without the snapshots a clean stop writes.
     */
    static StreamsFault brokerDown(RestartableBroker broker, boolean kill, Until atWork) {
        return (running, sendRest) -> {
            atWork.await();
            // the service's clients retry while it is down; its open transaction cannot commit
            if (kill) {
                broker.kill(Duration.ofSeconds(5));
            } else {
                broker.restart(Duration.ofSeconds(5));
            }
            assertTrue(running.isAlive(), "the service outlives its broker's restart");
            sendRest.run();
            return running;
        };
    }
}
