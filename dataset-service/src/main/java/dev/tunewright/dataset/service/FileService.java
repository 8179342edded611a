package dev.tunewright.dataset.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.outbox.Outbox;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.common.rest.LogText;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.dataset.DatasetRejected;
import dev.tunewright.dataset.config.DatasetConfig;
import dev.tunewright.dataset.repository.DatasetFile;
import dev.tunewright.dataset.repository.DatasetFileRepository;
import dev.tunewright.dataset.repository.DatasetRepository;
import dev.tunewright.dataset.repository.DatasetUsageRepository;
import dev.tunewright.dataset.repository.RejectedUpload;
import dev.tunewright.dataset.validation.DatasetScanner;
import dev.tunewright.dataset.validation.Dedup;
import dev.tunewright.dataset.validation.Problem;
import dev.tunewright.dataset.validation.RowIndexBuilder;
import dev.tunewright.dataset.validation.ScanResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Uploads: validate while reading, keep only what passes. In strict mode a file with any problem is refused
 * whole with its full report, and nothing of its content is kept; with {@code skip_invalid} the valid rows
 * are kept and the skipped line numbers recorded. The upload is read exactly once, as it arrives: that pass
 * stages it next to the artifact store, hashes it, validates it and builds its row index, and an accepted file is
 * then renamed, not copied, into the store.
 */
@ApplicationScoped
public class FileService {

    public static final String PURPOSE = "fine-tune";
    private static final Logger LOG = Logger.getLogger(FileService.class);

    /** Thrown for a strict-mode rejection; carries the report so the resource can return it whole. */
    public static final class RejectedFileException extends ApiException {
        private final transient RejectedUpload rejected;
        private final transient ValidationReport report;

        RejectedFileException(RejectedUpload rejected, ValidationReport report) {
            super(400, "invalid_file", "file", "the file was rejected: " + report.summary());
            this.rejected = rejected;
            this.report = report;
        }

        public RejectedUpload rejected() {
            return rejected;
        }

        public ValidationReport report() {
            return report;
        }
    }

    private final DatasetConfig config;
    private final ArtifactStore artifacts;
    private final DatasetFileRepository files;
    private final DatasetRepository datasets;
    private final DatasetUsageRepository usages;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final StagingThreads staging;
    private final OwnArtifacts own;

    public FileService(DatasetConfig config, ArtifactStore artifacts, DatasetFileRepository files,
            DatasetRepository datasets, DatasetUsageRepository usages, Outbox outbox, ObjectMapper json,
            StagingThreads staging, OwnArtifacts own) {
        this.config = config;
        this.artifacts = artifacts;
        this.files = files;
        this.datasets = datasets;
        this.usages = usages;
        this.outbox = outbox;
        this.json = json;
        this.staging = staging;
        this.own = own;
    }

    /** Refuses any purpose but fine-tuning; callers check it before reading a byte of the file when they can. */
    public static void checkPurpose(String purpose) {
        if (!PURPOSE.equals(purpose)) {
            throw ApiException.badRequest("invalid_purpose", "purpose", "purpose must be 'fine-tune', was '" + purpose + "'");
        }
    }

    /**
     * Reads an upload to its end in one pass, while it arrives: the scanner validates every line and builds the row
     * index on this thread while a {@link StagingWriter} writes the bytes to the artifact store's staging area and
     * hashes them on another. Refused (413) as soon as it grows past the limit; a file name that cannot be kept is
     * refused (400) before anything is read.
     */
    public ReceivedUpload receive(String filename, InputStream content) throws IOException {
        String safeName = Filenames.accept(filename, config.maxFilenameChars());
        Path staged = artifacts.stagingFile();
        try (StagingWriter writer = staging.writer(staged)) {
            RowIndexBuilder index = new RowIndexBuilder(config.limits());
            ScanResult scan = new DatasetScanner(config.limits(), Dedup.NONE)
                    .scan(new StoringInputStream(content, writer, config.maxFileBytes()), index);
            String sha256 = writer.finish();
            return new ReceivedUpload(safeName, staged, writer.bytes(), sha256, scan, index);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(staged);
            throw e;
        }
    }

    /**
     * Keeps a received upload for the team if it passed (or, with {@code skipInvalid}, has valid rows): publishes
     * the file by renaming it into the store, and its row index, in the transaction that records the file, so that
     * a delete of the same bytes by another team never interleaves. Otherwise records the rejection.
     */
    public DatasetFile accept(String teamId, String purpose, boolean skipInvalid, ReceivedUpload upload) throws IOException {
        checkPurpose(purpose);
        ScanResult scan = upload.scan();
        ValidationReport report = ValidationReport.of(scan);
        boolean unusable = scan.rowCount() == 0;
        if (!scan.valid() && (!skipInvalid || unusable)) {
            RejectedUpload rejected = recordRejection(teamId, upload.filename(), upload.bytes(), upload.sha256(), report);
            throw new RejectedFileException(rejected, report);
        }
        OwnArtifacts.Staged content = new OwnArtifacts.Staged(upload.staged(), upload.sha256(), upload.bytes());
        try (OwnArtifacts.Staged rowIndex = own.stage(out -> upload.index().writeTo(out, upload.bytes(), upload.sha256(),
                scan.lines()))) {
            List<String> ids = List.of(content.id(), rowIndex.id());
            own.register(ids);
            try {
                return recordFile(teamId, upload.filename(), upload.bytes(), content, rowIndex, scan, report);
            } catch (RuntimeException e) {
                own.releaseQuietly(ids);
                throw e;
            }
        }
    }

    /** Passes an upload through to the scanner and a copy to the staging writer; 413 once it is over the limit. */
    private static final class StoringInputStream extends FilterInputStream {
        private final StagingWriter staging;
        private final long limit;

        StoringInputStream(InputStream in, StagingWriter staging, long limit) {
            super(in);
            this.staging = staging;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                if (staging.bytes() + n > limit) {
                    throw ApiException.payloadTooLarge("file is larger than the limit of " + limit
                            + " bytes (tunewright.dataset.max-file-bytes)");
                }
                staging.write(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("an upload is read whole");
        }
    }

    @Transactional
    RejectedUpload recordRejection(String teamId, String filename, long bytes, String hash, ValidationReport report) {
        RejectedUpload rejected = new RejectedUpload();
        rejected.id = "file-" + randomId();
        rejected.teamId = teamId;
        rejected.filename = filename;
        rejected.bytes = bytes;
        rejected.sha256 = hash;
        rejected.problemCount = report.problemCount();
        rejected.report = write(report);
        rejected.createdAt = now();
        files.getEntityManager().persist(rejected);
        List<String> first = report.problems().stream().limit(10).map(Problem::describe).toList();
        outbox.enqueue(Topics.DATASETS, DatasetRejected.of(teamId, rejected.id, (int) Math.min(Integer.MAX_VALUE,
                report.problemCount()), first));
        LOG.infof("rejected upload %s (%s, %d bytes): %s", rejected.id, LogText.quote(filename), bytes,
                LogText.quote(report.summary()));
        return rejected;
    }

    @Transactional
    DatasetFile recordFile(String teamId, String filename, long bytes, OwnArtifacts.Staged content,
            OwnArtifacts.Staged rowIndex, ScanResult scan, ValidationReport report) {
        List<ArtifactStore.Stored> published = own.publish(content, rowIndex);
        ArtifactStore.Stored stored = published.get(0);
        ArtifactStore.Stored index = published.get(1);
        DatasetFile file = new DatasetFile();
        file.id = "file-" + randomId();
        file.teamId = teamId;
        file.filename = filename;
        file.purpose = PURPOSE;
        file.bytes = bytes;
        file.sha256 = stored.sha256();
        file.artifactId = stored.id();
        file.rowIndexArtifactId = index.id();
        file.format = scan.format().wireName();
        file.lines = scan.lines();
        file.validRows = scan.rowCount();
        file.skippedLines = scan.invalidLineCount();
        file.report = write(report);
        file.createdAt = now();
        files.persist(file);
        files.flush();
        return file;
    }

    public DatasetFile get(String teamId, String id) {
        return files.findOfTeam(teamId, id).orElseThrow(() -> ApiException.notFound("file", id));
    }

    public List<DatasetFile> page(String teamId, int limit) {
        return files.pageOfTeam(teamId, limit);
    }

    public InputStream content(DatasetFile file) throws IOException {
        return artifacts.open(file.artifactId);
    }

    /**
     * Refused while a job trains on a dataset made from the file. The row is marked deleted first; the bytes (and
     * the row index) are released after that commit, each under its lock and only when nothing else points at
     * them: a failed commit never leaves a live file without its content, and another team's upload of the same
     * bytes keeps them.
     */
    public DatasetFile delete(String teamId, String id) {
        DatasetFile file = markDeleted(teamId, id);
        own.releaseQuietly(artifactsOf(file));
        return file;
    }

    @Transactional
    DatasetFile markDeleted(String teamId, String id) {
        DatasetFile file = get(teamId, id);
        List<String> datasetIds = datasets.ofFile(file.id).stream().map(d -> d.id).toList();
        long active = usages.activeJobsOn(datasetIds);
        if (active > 0) {
            throw ApiException.conflict("file_in_use", "file " + id + " is used by " + active
                    + " active fine-tuning job(s) through its datasets; cancel or wait for them first");
        }
        file.deletedAt = now();
        own.register(artifactsOf(file));
        return file;
    }

    private static List<String> artifactsOf(DatasetFile file) {
        return file.rowIndexArtifactId == null ? List.of(file.artifactId) : List.of(file.artifactId, file.rowIndexArtifactId);
    }

    public ValidationReport report(DatasetFile file) {
        try {
            return json.readValue(file.report, ValidationReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored report of " + file.id + " is not readable", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    static String randomId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
