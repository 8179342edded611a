package dev.tunewright.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.AdaptableLinear;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.Torch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LoRA adapters installed into a model's linears without touching the base weights: the base stays
 * frozen (no gradient is ever attached to it) and the adapter can be trained, saved, swapped or
 * removed. The arrays live in a manager of their own, freed by {@link #close()}.
 *
 * <p>Starts in inference mode (dropout off), as a loaded PEFT model does; a trainer calls
 * {@link #setTraining(boolean)}.
 */
public final class LoraAdapters implements AutoCloseable {

    private final LanguageModel model;
    private final LoraConfig config;
    private final NDManager manager;
    private final List<LoraLayer> layers; // sorted by PEFT key
    private volatile boolean training;
    private boolean attached = true;

    private LoraAdapters(LanguageModel model, LoraConfig config, NDManager manager, List<LoraLayer> layers) {
        this.model = model;
        this.config = config;
        this.manager = manager;
        this.layers = List.copyOf(layers);
    }

    /**
     * Installs fresh adapters on every linear {@code config} targets: A Kaiming-uniform as PEFT
     * initialises it (a = sqrt(5) on (r, in), i.e. U(-1/sqrt(in), 1/sqrt(in))), B zeros, so the adapted
     * model starts exactly equal to the base. A is drawn in Java from {@code seed} and the module name,
     * so it is bit-identical on every run and does not change when other modules are added to the targets.
     */
    public static LoraAdapters attach(LanguageModel model, LoraConfig config, long seed) {
        List<AdaptableLinear> targets = LoraTargets.select(model, config.targetModules());
        return install(model, config, targets, linear -> kaimingUniform(linear, config.r(), seed),
                linear -> new float[Math.toIntExact(linear.outFeatures() * config.r())]);
    }

    /**
     * Loads a PEFT LoRA adapter folder ({@code adapter_config.json} + {@code adapter_model.safetensors}) onto
     * {@code model}, refusing adapters whose keys or shapes do not fit it; inference mode.
     */
    public static LoraAdapters load(LanguageModel model, Path dir) throws IOException {
        return AdapterIo.load(model, dir);
    }

    /**
     * Runs every check {@link #load} makes (config options, keys, shapes, both halves of every targeted module)
     * against the base's config alone, without loading its weights or PyTorch; returns the adapter's config.
     *
     * @throws AdapterFormatException naming the file and key that would make {@link #load} refuse the adapter
     */
    public static LoraConfig verify(Path dir, ModelConfig base) throws IOException {
        return AdapterWeights.read(dir, LoraTargets.candidateShapes(base), base.family().architecture()).config();
    }

    /**
     * Writes the adapter in PEFT's layout (float32 weights), atomically replacing {@code dir}.
     *
     * @param baseModelNameOrPath what PEFT and vLLM record as the base, e.g. a hub id; may be null
     * @param revision the base's hub revision; may be null
     */
    public void save(Path dir, String baseModelNameOrPath, String revision) throws IOException {
        AdapterIo.save(this, dir, baseModelNameOrPath, revision);
    }

    /**
     * Writes the adapter's PEFT files into {@code dir}, a folder its caller writes atomically (a checkpoint, through
     * {@code AtomicFolder}); {@link #save} is this into a folder of its own.
     */
    public void writeFiles(Path dir, String baseModelNameOrPath, String revision) throws IOException {
        AdapterIo.write(this, dir, baseModelNameOrPath, revision);
    }

    /**
     * Overwrites the adapter's arrays in place (the model keeps the arrays it was given) with an adapter saved before
     * from the same modules and rank, a checkpoint's or the best one of a run, checked as {@link #load} checks a
     * folder.
     *
     * @throws AdapterFormatException naming the file and key that do not fit, or the modules and rank that differ
     */
    public void restore(Path dir) throws IOException {
        AdapterIo.restore(this, dir);
    }

    /** Values for A (r·in) or B (out·r) of one linear, row-major. */
    @FunctionalInterface
    interface Values {
        float[] of(AdaptableLinear linear);
    }

    /** Creates the arrays and installs them; on any failure nothing stays installed. */
    static LoraAdapters install(LanguageModel model, LoraConfig config, List<AdaptableLinear> targets, Values a, Values b) {
        for (AdaptableLinear l : targets) {
            if (l.adapter() != null) {
                throw new IllegalStateException("module '" + l.name() + "' already has an adapter; detach it first");
            }
        }
        NDManager manager = model.newManager();
        List<LoraLayer> layers = new ArrayList<>();
        try {
            LoraAdapters[] self = new LoraAdapters[1];
            for (AdaptableLinear l : targets) {
                NDArray arrayA = manager.create(a.of(l), new Shape(config.r(), l.inFeatures()));
                NDArray arrayB = manager.create(b.of(l), new Shape(l.outFeatures(), config.r()));
                arrayA.setRequiresGradient(true);
                arrayB.setRequiresGradient(true);
                layers.add(new LoraLayer(l, LoraLayer.peftPrefix(l), arrayA, arrayB, (float) config.scale(),
                        Torch.scalar(arrayA, (float) config.scale()), (float) config.dropout(), () -> self[0].training));
            }
            layers.sort(Comparator.comparing(LoraLayer::peftPrefix));
            self[0] = new LoraAdapters(model, config, manager, layers);
            layers.forEach(layer -> layer.linear().setAdapter(layer));
            return self[0];
        } catch (RuntimeException e) {
            layers.forEach(layer -> {
                if (layer.linear().adapter() == layer) {
                    layer.linear().setAdapter(null);
                }
            });
            manager.close();
            throw e;
        }
    }

    public LoraConfig config() {
        return config;
    }

    public LanguageModel model() {
        return model;
    }

    /** HF module names carrying an adapter, sorted like the PEFT keys. */
    public List<String> moduleNames() {
        return layers.stream().map(l -> l.linear().name()).toList();
    }

    /** The trainable arrays (A then B per module, modules sorted by PEFT key), gradients attached. */
    public List<NDArray> parameters() {
        List<NDArray> out = new ArrayList<>(2 * layers.size());
        layers.forEach(l -> {
            out.add(l.a());
            out.add(l.b());
        });
        return Collections.unmodifiableList(out);
    }

    /**
     * The arrays under the keys PEFT saves them as ({@code base_model.model.<module>.lora_A.weight} (r, in),
     * {@code ...lora_B.weight} (out, r)), in {@link #parameters()} order. The arrays are the live ones: a
     * trainer updating them updates the model.
     */
    public Map<String, NDArray> byPeftKey() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        layers.forEach(l -> {
            out.put(l.keyA(), l.a());
            out.put(l.keyB(), l.b());
        });
        return Collections.unmodifiableMap(out);
    }

    /** Dropout on the adapter input on (training) or off (inference). */
    public void setTraining(boolean training) {
        this.training = training;
    }

    public boolean isTraining() {
        return training;
    }

    /** Removes the adapters from the model, which then computes exactly the base again; the arrays stay usable. */
    public synchronized void detach() {
        if (attached) {
            layers.forEach(l -> {
                if (l.linear().adapter() == l) {
                    l.linear().setAdapter(null);
                }
            });
            attached = false;
        }
    }

    /**
     * Installs the adapters again after {@link #detach}: a server keeps several adapters loaded and detached over
     * one base and switches between them without reading their files again.
     *
     * @throws IllegalStateException when another adapter sits on one of the modules
     */
    public synchronized void reattach() {
        if (attached) {
            return;
        }
        for (LoraLayer l : layers) {
            if (l.linear().adapter() != null) {
                throw new IllegalStateException("module '" + l.linear().name() + "' already has an adapter; detach it first");
            }
        }
        layers.forEach(l -> l.linear().setAdapter(l));
        attached = true;
    }

    public synchronized boolean isAttached() {
        return attached;
    }

    List<LoraLayer> layers() {
        return layers;
    }

    /** Detaches and frees the adapter arrays. */
    @Override
    public void close() {
        detach();
        manager.close();
    }

    /**
     * PEFT's kaiming_uniform_(a=sqrt(5)) on (r, in): gain sqrt(2/(1+5)), bound gain·sqrt(3/in) = 1/sqrt(in).
     * The stream is keyed by seed and module name (String.hashCode is fixed by the language spec).
     */
    private static float[] kaimingUniform(AdaptableLinear linear, int r, long seed) {
        long in = linear.inFeatures();
        double bound = 1.0 / Math.sqrt(in);
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + linear.name().hashCode());
        float[] values = new float[Math.toIntExact(r * in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }
}
