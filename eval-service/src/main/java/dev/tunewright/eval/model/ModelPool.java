package dev.tunewright.eval.model;

import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.models.ModelCatalog;
import dev.tunewright.common.models.ModelRef;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.eval.config.EvalConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The models evaluations and chat completions run on, shared by both: each base model is loaded once, adapters
 * are applied over it without merging (loaded once from the artifact store, then detached and reattached per
 * use), and work on one base is serialised while different bases run side by side. Idle bases beyond
 * {@code tunewright.eval.models.max-loaded-bases} are closed, least recently used first.
 */
@ApplicationScoped
public class ModelPool {

    private static final Logger LOG = Logger.getLogger(ModelPool.class);

    /** Work on a model session; may throw what the work throws. */
    @FunctionalInterface
    public interface Work<T> {
        T run(ModelSession session) throws Exception;
    }

    private final ModelCatalog catalog;
    private final ArtifactStore store;
    private final EvalConfig.Models config;
    private final Path adapterCache;
    private final Map<Path, LoadedBase> loaded = new HashMap<>();
    private final Map<Path, Object> loading = new HashMap<>();

    public ModelPool(ModelCatalog catalog, ArtifactStore store, EvalConfig config) {
        this.catalog = catalog;
        this.store = store;
        this.config = config.models();
        this.adapterCache = Path.of(this.config.cacheDir()).toAbsolutePath().normalize().resolve("adapters");
        if (this.config.torchThreads() > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
            // read once, when the PyTorch engine starts; nothing has started it yet at bean creation
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(this.config.torchThreads()));
        }
    }

    /**
     * The folder of a base model as a request or event names it, by the deployment's model policy.
     *
     * @throws dev.tunewright.common.rest.ApiException 400 naming {@code param} when the model is not allowed here
     */
    public Path folder(String baseModel, String param) throws IOException {
        ModelRef ref = catalog.check(baseModel, param);
        return catalog.folder(ref);
    }

    /**
     * Runs {@code work} on the base at {@code folder} with the adapter artifact applied (null: the base alone),
     * waiting for other work on the same base first.
     */
    public <T> T use(Path folder, String adapterArtifactId, Work<T> work) throws Exception {
        LoadedBase base = acquire(folder.toAbsolutePath().normalize());
        try {
            base.lock.lock();
            LoraAdapters adapter = null;
            try {
                if (adapterArtifactId != null) {
                    adapter = attach(base, adapterArtifactId);
                }
                return work.run(new ModelSession(base, adapter != null));
            } finally {
                if (adapter != null) {
                    adapter.detach();
                }
                base.lock.unlock();
            }
        } finally {
            release(base);
        }
    }

    private LoraAdapters attach(LoadedBase base, String artifactId) throws IOException {
        Path dir = unpack(artifactId);
        try {
            return base.attach(artifactId, dir, config.maxCachedAdapters());
        } catch (IllegalArgumentException | IOException e) {
            throw new ModelUnavailableException("adapter " + artifactId + " does not fit " + base.folder.getFileName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The adapter folder unpacked from the artifact store (every byte verified), once per artifact. */
    private Path unpack(String artifactId) throws IOException {
        Path dir = adapterCache.resolve(artifactId.replaceAll("[^A-Za-z0-9._-]", "_"));
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (!store.exists(artifactId)) {
            throw new ModelUnavailableException("adapter artifact " + artifactId + " is not in the artifact store");
        }
        try {
            ArtifactFolder.read(store, artifactId).copyTo(store, dir);
        } catch (FileAlreadyExistsException raced) {
            // another thread unpacked the same adapter first; its copy is complete (moved into place atomically)
        }
        return dir;
    }

    private LoadedBase acquire(Path folder) throws IOException {
        Object gate;
        synchronized (this) {
            LoadedBase base = reuse(folder);
            if (base != null) {
                return base;
            }
            gate = loading.computeIfAbsent(folder, f -> new Object());
        }
        // one thread loads a given base; others wait for it instead of loading it twice
        synchronized (gate) {
            synchronized (this) {
                LoadedBase base = reuse(folder);
                if (base != null) {
                    return base;
                }
            }
            long started = System.nanoTime();
            LoadedBase base = LoadedBase.load(folder, config.device());
            LOG.infof("loaded %s on %s in %.1f s", folder.getFileName(), config.device(), (System.nanoTime() - started) / 1e9);
            synchronized (this) {
                loading.remove(folder);
                base.users = 1;
                base.lastUsed = System.nanoTime();
                loaded.put(folder, base);
                evictIdleOver(config.maxLoadedBases());
                return base;
            }
        }
    }

    /** The base if it is loaded, counted as in use; null when it is not. Call holding this pool's lock. */
    private LoadedBase reuse(Path folder) {
        LoadedBase base = loaded.get(folder);
        if (base != null) {
            base.users++;
            base.lastUsed = System.nanoTime();
        }
        return base;
    }

    private synchronized void release(LoadedBase base) {
        base.users--;
        base.lastUsed = System.nanoTime();
        evictIdleOver(config.maxLoadedBases());
    }

    private void evictIdleOver(int capacity) {
        if (loaded.size() <= capacity) {
            return;
        }
        List<LoadedBase> idle = new ArrayList<>(loaded.values().stream().filter(b -> b.users == 0).toList());
        idle.sort(Comparator.comparingLong(b -> b.lastUsed));
        for (LoadedBase base : idle) {
            if (loaded.size() <= capacity) {
                break;
            }
            loaded.remove(base.folder);
            base.close();
            LOG.infof("closed idle model %s", base.folder.getFileName());
        }
    }

    /** Bases in memory now (for tests and metrics). */
    public synchronized int loadedCount() {
        return loaded.size();
    }

    @PreDestroy
    synchronized void close() {
        loaded.values().forEach(LoadedBase::close);
        loaded.clear();
    }
}
