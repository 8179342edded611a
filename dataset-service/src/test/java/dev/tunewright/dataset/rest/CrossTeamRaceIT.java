package dev.tunewright.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Content-addressed storage shared by teams: one team deletes its file while another uploads the same bytes. The
 * store keeps one copy of the bytes for both, so a delete may only release them when no file points at them any
 * more, decided under the same lock the upload holds while it publishes the bytes and records its file. Run on the
 * packaged service, many rounds at once, each with the delete started at a random moment of the upload.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(InfrastructureResource.class)
class CrossTeamRaceIT {

    private static final int ROUNDS = 60;
    private static final int PARALLEL = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Round(int number, String content, String fileId) {
    }

    @Test
    void aDeleteRacingAnUploadOfTheSameBytesNeverTakesTheUploadsContent() throws Exception {
        TeamIdentity deleting = TestTeams.newTeam("race-deleting");
        TeamIdentity uploading = TestTeams.newTeam("race-uploading");
        List<Round> rounds = new ArrayList<>();
        ExecutorService roundThreads = Executors.newFixedThreadPool(PARALLEL);
        ExecutorService uploadThreads = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<Round>> running = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                int number = r;
                running.add(roundThreads.submit(() -> round(uploadThreads, number, deleting, uploading)));
            }
            for (Future<Round> round : running) {
                rounds.add(round.get());
            }
        } finally {
            roundThreads.shutdownNow();
            uploadThreads.shutdownNow();
        }

        int withoutLoss = 0;
        List<String> losses = new ArrayList<>();
        for (Round round : rounds) {
            String problem = problemWith(uploading, round);
            if (problem == null) {
                withoutLoss++;
            } else {
                losses.add("round " + round.number() + ": " + problem);
            }
        }
        System.out.printf("cross-team delete/upload race: %d/%d rounds without loss%n", withoutLoss, ROUNDS);
        assertThat(losses).as("rounds in which the uploading team's file lost its content").isEmpty();
    }

    /** Team A uploads, then deletes while team C uploads the same bytes; answers C's file. */
    private static Round round(ExecutorService threads, int number, TeamIdentity deleting, TeamIdentity uploading)
            throws Exception {
        String content = DatasetFlowIT.classificationFile(30).replace("ticket number", "round " + number + " ticket");
        long started = System.nanoTime();
        HttpResponse<String> first = SignedHttp.upload(deleting, new Multipart().field("purpose", "fine-tune")
                .file("a.jsonl", content));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        long uploadMillis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        String deletedId = JSON.readTree(first.body()).path("id").asText();

        Future<HttpResponse<String>> upload = threads.submit(() -> SignedHttp.upload(uploading,
                new Multipart().field("purpose", "fine-tune").file("c.jsonl", content)));
        Thread.sleep(ThreadLocalRandom.current().nextLong(uploadMillis + 1));
        HttpResponse<String> deleted = SignedHttp.send(SignedHttp.request(deleting, "DELETE", "/v1/files/" + deletedId)
                .DELETE().build());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        HttpResponse<String> second = upload.get();
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        return new Round(number, content, JSON.readTree(second.body()).path("id").asText());
    }

    /** Null when the file's content is readable, is what was uploaded and hashes to its recorded SHA-256. */
    private static String problemWith(TeamIdentity team, Round round) throws Exception {
        String path = "/v1/files/" + round.fileId() + "/content";
        HttpResponse<byte[]> content = SignedHttp.sendForBytes(SignedHttp.request(team, "GET", path).GET().build());
        if (content.statusCode() != 200) {
            return "content answered " + content.statusCode() + " " + new String(content.body(), StandardCharsets.UTF_8);
        }
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.body()));
        if (!sha256.equals(recordedSha256(round.fileId()))) {
            return "content hashes to " + sha256 + ", the file records " + recordedSha256(round.fileId());
        }
        if (!new String(content.body(), StandardCharsets.UTF_8).equals(round.content())) {
            return "content differs from the upload";
        }
        HttpResponse<String> dataset = SignedHttp.send(SignedHttp.request(team, "POST", "/v1/datasets")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file_id\":\"" + round.fileId() + "\"}")).build());
        return dataset.statusCode() == 201 ? null : "dataset creation answered " + dataset.statusCode() + " " + dataset.body();
    }

    private static String recordedSha256(String fileId) throws Exception {
        Infrastructure infrastructure = Infrastructure.get();
        try (Connection db = DriverManager.getConnection(infrastructure.jdbcUrl(), infrastructure.username(),
                infrastructure.password());
                PreparedStatement query = db.prepareStatement("select sha256 from dataset.dataset_file where id = ?")) {
            query.setString(1, fileId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
