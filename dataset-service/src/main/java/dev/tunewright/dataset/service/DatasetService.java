package dev.tunewright.dataset.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.models.ModelCatalog;
import dev.tunewright.common.models.ModelRef;
import dev.tunewright.common.outbox.Outbox;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.dataset.DatasetIngested;
import dev.tunewright.dataset.config.DatasetConfig;
import dev.tunewright.dataset.repository.Dataset;
import dev.tunewright.dataset.repository.DatasetFile;
import dev.tunewright.dataset.repository.DatasetRepository;
import dev.tunewright.dataset.repository.DatasetUsageRepository;
import dev.tunewright.dataset.split.SplitPlan;
import dev.tunewright.dataset.split.SplitPlanner;
import dev.tunewright.dataset.split.SplitWriter;
import dev.tunewright.dataset.validation.DatasetScanner;
import dev.tunewright.dataset.validation.Dedup;
import dev.tunewright.dataset.validation.DedupedRows;
import dev.tunewright.dataset.validation.RowEntry;
import dev.tunewright.dataset.validation.RowIndex;
import dev.tunewright.engine.chat.ChatTemplateException;
import dev.tunewright.engine.tokenizer.TokenizerException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Dataset versions: de-duplicate an accepted file, cut it into train and validation, store both splits and
 * announce the dataset. Creation is idempotent: the id derives from team, content and options. The rows come from
 * the file's row index, written at upload, so the file itself is only copied from by offset; a file without a
 * usable index (uploaded before indexes existed, or damaged) is scanned again, with the same result.
 */
@ApplicationScoped
public class DatasetService {

    private static final Logger LOG = Logger.getLogger(DatasetService.class);

    /** A dataset and whether this call created it (201) or found it (200). */
    public record Created(Dataset dataset, boolean created) {
    }

    /** What the report endpoint shows: the file's problems plus what de-duplication and splitting removed. */
    public record DatasetReport(ValidationReport file, ValidationReport validationFile, long duplicatesRemoved,
            List<Long> duplicateLines, long validationRowsDroppedForLeakage, long leakageRows) {
    }

    private final DatasetConfig config;
    private final FileService files;
    private final DatasetRepository datasets;
    private final DatasetUsageRepository usages;
    private final ArtifactStore artifacts;
    private final ModelCatalog models;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final StagingThreads staging;
    private final OwnArtifacts own;

    public DatasetService(DatasetConfig config, FileService files, DatasetRepository datasets,
            DatasetUsageRepository usages, ArtifactStore artifacts, ModelCatalog models, Outbox outbox, ObjectMapper json,
            StagingThreads staging, OwnArtifacts own) {
        this.config = config;
        this.files = files;
        this.datasets = datasets;
        this.usages = usages;
        this.artifacts = artifacts;
        this.models = models;
        this.outbox = outbox;
        this.json = json;
        this.staging = staging;
        this.own = own;
    }

    public Created create(String teamId, DatasetOptions.Request request) throws IOException {
        DatasetOptions options = DatasetOptions.resolve(request, config);
        if (options.maxSeqLength() != null && options.baseModel() == null) {
            throw ApiException.badRequest("missing_field", "base_model",
                    "max_seq_length is counted in the base model's tokens: name base_model too");
        }
        Path modelDir = options.baseModel() == null ? null : modelFolder(options.baseModel());
        DatasetFile file = files.get(teamId, options.fileId());
        DatasetFile validationFile = options.validationFileId() == null ? null : files.get(teamId, options.validationFileId());
        if (validationFile != null && !validationFile.format.equals(file.format)) {
            throw ApiException.badRequest("mixed_formats", "validation_file_id", "validation file is " + validationFile.format
                    + " but the training file is " + file.format);
        }
        String id = datasetId(teamId, file, validationFile, options);
        Optional<Dataset> existing = datasets.findOfTeam(teamId, id);
        if (existing.isPresent()) {
            return new Created(existing.get(), false);
        }

        DedupedRows kept = rows(file, options.dedupMode());
        // Measured before anything is written, so that a base model that cannot be read leaves nothing behind.
        TokenStatistics tokens = modelDir == null ? null : tokens(options, modelDir, file, kept);
        try (Split split = validationFile == null ? splitOne(file, kept, options)
                : splitTwo(file, kept, validationFile, options.dedupMode())) {
            if (split.trainRows() == 0 || split.validationRows() == 0) {
                throw ApiException.badRequest("too_few_rows", "file_id", "after de-duplication " + kept.rows().size()
                        + " row(s) remain, too few for a train and a validation split");
            }
            DatasetStatistics stats = DatasetStatistics.of(kept, split.plan(), split.trainRows(), split.validationRows(),
                    tokens, split.leakageRows());
            DatasetReport report = new DatasetReport(files.report(file), validationFile == null ? null
                    : files.report(validationFile), kept.duplicateCount(), kept.duplicateLines(), split.droppedForLeakage(),
                    split.leakageRows());
            List<String> splitIds = List.of(split.train().id(), split.validation().id());
            own.register(splitIds);
            try {
                return new Created(record(teamId, id, file, validationFile, options, split, stats, report), true);
            } catch (RuntimeException e) {
                // Whatever was published without its dataset goes again; a dataset made meanwhile keeps it.
                own.releaseQuietly(splitIds);
                // A concurrent identical request may have won the race on the primary key; its dataset is ours too.
                Optional<Dataset> raced = datasets.findOfTeam(teamId, id);
                if (raced.isPresent()) {
                    return new Created(raced.get(), false);
                }
                throw e;
            }
        }
    }

    /** Both splits staged and hashed, not yet in the store; closing removes what was not published. */
    private record Split(SplitPlan plan, OwnArtifacts.Staged train, OwnArtifacts.Staged validation, long trainRows,
            long validationRows, long leakageRows, long droppedForLeakage) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (train) {
                validation.close();
            }
        }
    }

    private TokenStatistics tokens(DatasetOptions options, Path modelDir, DatasetFile file, DedupedRows kept)
            throws IOException {
        try {
            return TokenStatistics.measure(options.baseModel(), modelDir, artifacts.localPath(file.artifactId), kept.rows(),
                    options.maxSeqLength());
        } catch (TokenizerException | ChatTemplateException e) {
            throw ApiException.badRequest("model_unavailable", "base_model", "cannot count tokens with base_model '"
                    + options.baseModel() + "': " + String.valueOf(e.getMessage()).replace(modelDir.toString(), "<model>"));
        }
    }

    private Split splitOne(DatasetFile file, DedupedRows kept, DatasetOptions options) throws IOException {
        boolean stratify = switch (options.stratifyBy()) {
            case "output" -> !kept.labelsOverflowed();
            case "none" -> false;
            default -> SplitPlanner.looksLikeLabels(kept.labels().size(), kept.labelsOverflowed(), kept.rows().size());
        };
        SplitPlan plan = SplitPlanner.plan(kept.rows(), options.validationFraction(), options.seed(), stratify);
        Path source = artifacts.localPath(file.artifactId);
        // One pass over the file cuts both splits; each is written and hashed on a staging thread.
        Path trainFile = artifacts.stagingFile();
        Path validationFile = artifacts.stagingFile();
        try (StagingWriter train = staging.writer(trainFile); StagingWriter validation = staging.writer(validationFile)) {
            try (OutputStream trainOut = new BufferedOutputStream(train.stream(), 1 << 16);
                    OutputStream validationOut = new BufferedOutputStream(validation.stream(), 1 << 16)) {
                SplitWriter.write(source, kept.rows(), plan, trainOut, validationOut);
            }
            return new Split(plan, new OwnArtifacts.Staged(trainFile, train.finish(), train.bytes()),
                    new OwnArtifacts.Staged(validationFile, validation.finish(), validation.bytes()), plan.trainRows(),
                    plan.validationRows(), plan.leakageRows(), 0);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(trainFile);
            Files.deleteIfExists(validationFile);
            throw e;
        }
    }

    /** An explicit validation file: validation rows whose input is also in train are dropped, and counted. */
    private Split splitTwo(DatasetFile file, DedupedRows trainKept, DatasetFile validationFile, Dedup dedup)
            throws IOException {
        DedupedRows validationKept = rows(validationFile, dedup);
        Set<Long> trainInputs = new HashSet<>();
        trainKept.rows().forEach(row -> trainInputs.add(row.inputHash()));
        List<RowEntry> validationRows = validationKept.rows();
        BitSet keep = new BitSet(validationRows.size());
        for (int i = 0; i < validationRows.size(); i++) {
            if (!trainInputs.contains(validationRows.get(i).inputHash())) {
                keep.set(i);
            }
        }
        int kept = keep.cardinality();
        SplitPlan allTrain = new SplitPlan(new BitSet(), trainKept.rows().size(), 0, false, 0);
        SplitPlan keptAsValidation = new SplitPlan(keep, validationRows.size(), kept, false, 0);
        var trainSource = artifacts.localPath(file.artifactId);
        var validationSource = artifacts.localPath(validationFile.artifactId);
        OwnArtifacts.Staged train = own.stage(out -> SplitWriter.write(trainSource, trainKept.rows(), allTrain, out,
                OutputStream.nullOutputStream()));
        try {
            OwnArtifacts.Staged validation = own.stage(out -> SplitWriter.write(validationSource, validationRows,
                    keptAsValidation, OutputStream.nullOutputStream(), out));
            return new Split(allTrain, train, validation, trainKept.rows().size(), kept, 0, validationRows.size() - kept);
        } catch (IOException | RuntimeException e) {
            train.close();
            throw e;
        }
    }

    @Transactional
    Dataset record(String teamId, String id, DatasetFile file, DatasetFile validationFile, DatasetOptions options,
            Split split, DatasetStatistics stats, DatasetReport report) {
        List<ArtifactStore.Stored> published = own.publish(split.train(), split.validation());
        ArtifactStore.Stored train = published.get(0);
        ArtifactStore.Stored validation = published.get(1);
        Dataset dataset = new Dataset();
        dataset.id = id;
        dataset.teamId = teamId;
        dataset.fileId = file.id;
        dataset.validationFileId = validationFile == null ? null : validationFile.id;
        dataset.options = write(options);
        dataset.format = file.format;
        dataset.trainArtifactId = train.id();
        dataset.validationArtifactId = validation.id();
        dataset.trainRows = split.trainRows();
        dataset.validationRows = split.validationRows();
        dataset.stats = write(stats);
        dataset.report = write(report);
        dataset.createdAt = FileService.now();
        datasets.persist(dataset);
        datasets.flush();
        outbox.enqueue(Topics.DATASETS, DatasetIngested.of(teamId, id, file.id, file.format, split.trainRows(),
                split.validationRows(), train.id(), validation.id()));
        LOG.infof("dataset %s from %s: %d train, %d validation rows", id, file.id, split.trainRows(), split.validationRows());
        return dataset;
    }

    public Dataset get(String teamId, String id) {
        return datasets.findOfTeam(teamId, id).orElseThrow(() -> ApiException.notFound("dataset", id));
    }

    public List<String> activeJobs(Dataset dataset) {
        return usages.activeJobIds(dataset.id);
    }

    public List<Dataset> page(String teamId, int limit) {
        return datasets.pageOfTeam(teamId, limit);
    }

    public InputStream split(Dataset dataset, String name) throws IOException {
        return switch (name) {
            case "train" -> artifacts.open(dataset.trainArtifactId);
            case "validation" -> artifacts.open(dataset.validationArtifactId);
            default -> throw ApiException.notFound("split", name);
        };
    }

    public <T> T read(String stored, Class<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable", e);
        }
    }

    /** The rows a dataset keeps of the file: from its row index when that can answer, else by scanning the file. */
    private DedupedRows rows(DatasetFile file, Dedup dedup) throws IOException {
        if (file.rowIndexArtifactId != null) {
            try (InputStream in = artifacts.open(file.rowIndexArtifactId)) {
                Optional<DedupedRows> rows = RowIndex.replay(in, file.bytes, file.sha256, config.limits(), dedup);
                if (rows.isPresent()) {
                    return rows.get();
                }
                LOG.infof("row index of %s cannot answer for %s de-duplication under the current limits; scanning the file",
                        file.id, dedup);
            } catch (IOException e) {
                LOG.warnf("row index %s of %s is unusable (%s); scanning the file instead", file.rowIndexArtifactId,
                        file.id, e.getMessage());
            }
        }
        try (InputStream in = artifacts.open(file.artifactId)) {
            return DedupedRows.of(new DatasetScanner(config.limits(), dedup).scan(in));
        }
    }

    private Path modelFolder(String baseModel) {
        ModelRef model = models.check(baseModel, "base_model");
        try {
            return models.folder(model);
        } catch (IOException e) {
            throw ApiException.badRequest("model_unavailable", "base_model", "cannot load base_model '" + baseModel + "': "
                    + e.getMessage());
        }
    }

    private String datasetId(String teamId, DatasetFile file, DatasetFile validationFile, DatasetOptions options) {
        String key = teamId + '\n' + file.sha256 + '\n' + (validationFile == null ? "" : validationFile.sha256) + '\n'
                + write(new DatasetOptions(null, null, options.validationFraction(), options.seed(), options.stratifyBy(),
                        options.dedup(), options.baseModel(), options.maxSeqLength()));
        byte[] digest = FileService.sha256().digest(key.getBytes(StandardCharsets.UTF_8));
        return "ds-" + HexFormat.of().formatHex(digest).substring(0, 24);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
