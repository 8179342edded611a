package dev.tunewright.dataset.bench;

import static io.restassured.RestAssured.given;

import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.postgresql.PGConnection;

/**
 * Ingest benchmark: a generated 100,000-row (~50 MB) JSONL file through upload, validation, de-duplication,
 * split and storage, against loading the same lines into the same PostgreSQL with COPY in the same run.
 * Not part of the suite; run with
 * {@code TUNEWRIGHT_BENCHMARK=1 mvn -B -pl dataset-service verify -Dit.test=IngestBenchmarkIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Both sides stream the file from disk through a client in this JVM: pgjdbc's COPY API, and for the upload the
 * JDK's HTTP client sending the multipart body as curl does (head, file, tail). RestAssured, used for the small
 * calls, takes longer than the service itself to send a 50 MB multipart body on two cores; its time for the same
 * upload is printed after the table, for comparison with the earlier rows that were measured through it. So is
 * the CPU time each kind of thread in this JVM spent during the measured ingest, which says where the time goes.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
@EnabledIfEnvironmentVariable(named = "TUNEWRIGHT_BENCHMARK", matches = "1")
class IngestBenchmarkIT {

    private static final int ROWS = 100_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String[] WORDS = ("the a order refund parcel late damaged invoice account password reset "
            + "shipping billing return exchange warranty discount coupon delivery address payment card failed "
            + "subscription cancel upgrade plan support agent manager weekend monday urgent please thanks").split(" ");

    @Test
    void ingestAgainstCopy() throws Exception {
        Path file = Files.createTempFile("ingest-bench", ".jsonl");
        generate(file);
        long bytes = Files.size(file);
        TeamIdentity team = new TeamIdentity(UUID.randomUUID().toString(), "bench");
        IdentitySigner signer = new IdentitySigner(InfrastructureResource.IDENTITY_SECRET, Duration.ofMinutes(10));

        // Warm-up so that class loading and JIT compilation (seconds on 2 cores) are not billed to a long-running
        // service's steady state; each round uses other rows so that nothing is served from an earlier dataset.
        Path small = Files.createTempFile("ingest-warm", ".jsonl");
        java.util.List<String> lines = Files.readAllLines(file);
        for (int round = 0; round < 3; round++) {
            Files.write(small, lines.subList(round * 20_000, (round + 1) * 20_000));
            ingest(small, team, signer);
            copy(small);
            uploadThroughRestAssured(small, team, signer);
        }

        resetPeaks();
        Map<String, Long> cpuBefore = cpuByThreadKind();
        long start = System.nanoTime();
        double uploadSeconds = ingest(file, team, signer);
        double ingestSeconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> cpuAfter = cpuByThreadKind();
        long peakHeap = peakHeap();

        start = System.nanoTime();
        copy(file);
        double copySeconds = (System.nanoTime() - start) / 1e9;

        Map<String, Long> cpuBeforeRestAssured = cpuByThreadKind();
        start = System.nanoTime();
        uploadThroughRestAssured(file, team, signer);
        double restAssuredSeconds = (System.nanoTime() - start) / 1e9;
        double restAssuredClientCpu = (cpuByThreadKind().get("main") - cpuBeforeRestAssured.get("main")) / 1e9;

        System.out.printf("%n| rows | MB | ingest s (upload + dataset) | ingest rows/s | COPY s | COPY rows/s | ingest / COPY | peak heap MB |%n");
        System.out.printf("| %d | %.1f | %.2f (%.2f + %.2f) | %.0f | %.2f | %.0f | %.2fx | %.0f |%n%n", ROWS, bytes / 1e6,
                ingestSeconds, uploadSeconds, ingestSeconds - uploadSeconds, ROWS / ingestSeconds, copySeconds,
                ROWS / copySeconds, ingestSeconds / copySeconds, peakHeap / 1e6);
        System.out.printf("the same upload through RestAssured: %.2f s, of which %.2f s CPU in its client (the test's"
                + " main thread)%n", restAssuredSeconds, restAssuredClientCpu);
        System.out.print("CPU s of this JVM's threads during the ingest (at least 0.01 s):");
        cpuAfter.forEach((kind, nanos) -> {
            double seconds = (nanos - cpuBefore.getOrDefault(kind, 0L)) / 1e9;
            if (seconds >= 0.01) {
                System.out.printf(" %s %.2f;", kind, seconds);
            }
        });
        System.out.printf("%n%n");
        Files.delete(file);
        Files.delete(small);
    }

    /** Uploads and creates a dataset; returns the seconds the upload took. */
    private static double ingest(Path file, TeamIdentity team, IdentitySigner signer) throws Exception {
        long start = System.nanoTime();
        String fileId = upload(file, team, signer);
        double uploadSeconds = (System.nanoTime() - start) / 1e9;
        given().header(IdentitySigner.HEADER, signer.sign(team, "POST", "/v1/datasets")).contentType("application/json")
                .body(Map.of("file_id", fileId)).post("/v1/datasets").then().statusCode(201);
        return uploadSeconds;
    }

    /** A multipart upload streamed from the file, the way curl -F sends it; returns the file id. */
    private static String upload(Path file, TeamIdentity team, IdentitySigner signer) throws Exception {
        String boundary = "tunewright-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName()
                + "\"\r\nContent-Type: application/jsonl\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                        + "/v1/files"))
                .header(IdentitySigner.HEADER, signer.sign(team, "POST", "/v1/files"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(BodyPublishers.concat(BodyPublishers.ofByteArray(head), BodyPublishers.ofFile(file),
                        BodyPublishers.ofByteArray(tail)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("upload answered " + response.statusCode() + ": " + response.body());
        }
        return JsonPath.from(response.body()).getString("id");
    }

    private static void uploadThroughRestAssured(Path file, TeamIdentity team, IdentitySigner signer) {
        given().header(IdentitySigner.HEADER, signer.sign(team, "POST", "/v1/files"))
                .multiPart("file", file.toFile(), "application/jsonl").multiPart("purpose", "fine-tune")
                .post("/v1/files").then().statusCode(200);
    }

    /** COPY of the same lines, each as one text value (CSV mode with quote and delimiter bytes that never occur). */
    private static void copy(Path file) throws Exception {
        Infrastructure infra = Infrastructure.get();
        try (Connection connection = DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password());
                Statement statement = connection.createStatement();
                InputStream in = Files.newInputStream(file)) {
            statement.execute("create temporary table bench_copy (line text)");
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "copy bench_copy from stdin with (format csv, quote e'\\x01', delimiter e'\\x02')", in);
        }
    }

    private static void generate(Path file) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        String[] labels = {"billing", "shipping", "returns", "account", "other"};
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < ROWS; i++) {
                StringBuilder text = new StringBuilder();
                while (text.length() < 400) {
                    text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
                }
                out.write("{\"instruction\":\"Route this support ticket to a team.\",\"input\":\"#" + i + " " + text.toString().strip()
                        + "\",\"output\":\"" + labels[random.nextInt(labels.length)] + "\"}\n");
            }
        }
    }

    /** CPU time of this JVM's threads so far, by kind (name without its number). */
    private static Map<String, Long> cpuByThreadKind() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new TreeMap<>();
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            long nanos = thread == null ? -1 : threads.getThreadCpuTime(thread.getThreadId());
            if (nanos > 0) {
                cpu.merge(thread.getThreadName().replaceAll("[-#]?\\d+", ""), nanos, Long::sum);
            }
        }
        return cpu;
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
