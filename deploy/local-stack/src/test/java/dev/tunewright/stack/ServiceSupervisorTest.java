package dev.tunewright.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceSupervisorTest {

    @TempDir
    Path temp;

    /** A service that dies at once is started again after 1 s, then 2 s, ...; each exit is reported with its code. */
    @Test
    void startsADeadServiceAgainWithADoublingBackOff() throws Exception {
        Path jar = ServiceProcess.jar(temp.resolve("repo"), Service.DATASET);
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "not a jar: java exits with code 1 at once");
        ServiceProcess service = new ServiceProcess(Service.DATASET, Ports.free(), temp.resolve("repo"),
                temp.resolve("logs/dataset-service.log"));
        service.start(temp, Map.of("SOME_SETTING", "kept across restarts"));
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ServiceSupervisor supervisor = new ServiceSupervisor(() -> List.of(service), new ServiceSupervisor.Listener() {
            @Override
            public void exited(ServiceProcess process, Duration restartIn) {
                events.add("exited, again in " + restartIn.toSeconds() + " s after " + process.lastExit().split(" at ")[0]);
            }

            @Override
            public void restart(ServiceProcess process) {
                process.restart();
                events.add("restart " + process.restarts());
            }
        });
        Thread thread = new Thread(supervisor, "supervisor-under-test");
        thread.start();
        try {
            assertThat(Waits.until(() -> events.size() >= 5, Duration.ofSeconds(60), Duration.ofMillis(50))).as(events.toString())
                    .isTrue();
        } finally {
            supervisor.stop();
            thread.join(5_000);
            service.terminate();
            service.awaitExit(System.nanoTime());
        }
        assertThat(events.subList(0, 5)).containsExactly("exited, again in 1 s after exit code 1", "restart 1",
                "exited, again in 2 s after exit code 1", "restart 2", "exited, again in 4 s after exit code 1");
        assertThat(thread.isAlive()).isFalse();
    }
}
