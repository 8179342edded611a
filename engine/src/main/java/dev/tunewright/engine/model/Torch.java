package dev.tunewright.engine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The PyTorch engine, always from the native jars on the classpath: DJL is put in offline mode before
 * first use so it never tries to download a native library, and fails loudly instead. Every thread that asks
 * for the engine gets denormals flushed to zero ({@link Denormals}).
 */
public final class Torch {

    private Torch() {}

    public static Engine engine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Engine engine = Engine.getEngine("PyTorch");
        Denormals.onThisThread();
        return engine;
    }

    /**
     * Resolves a device spec: null, "" or "auto" picks the first GPU when there is one, else the CPU;
     * "cpu", "gpu", "cuda" and "cuda:N" / "gpu:N" choose explicitly.
     */
    public static Device device(String spec) {
        Engine engine = engine();
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("auto")) {
            return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.equals("cuda")) {
            return requireGpu(engine, 0, spec);
        }
        if (s.startsWith("cuda:") || s.startsWith("gpu:")) {
            try {
                return requireGpu(engine, Integer.parseInt(s.substring(s.indexOf(':') + 1)), spec);
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("device '" + spec + "' is not one of auto, cpu, gpu, cuda:N");
    }

    /**
     * float32 on the CPU. On CUDA the intent is bfloat16, but DJL 0.36's PyTorch JNI has no mapping for it
     * (creating or casting to BFLOAT16 aborts the JVM), so CUDA gets float16 with the same memory and
     * speed, except Gemma 2, whose activations are known to overflow float16 and which stays in float32.
     */
    public static DataType dtypeFor(Device device, Family family) {
        if (!device.isGpu() || family == Family.GEMMA2) {
            return DataType.FLOAT32;
        }
        return DataType.FLOAT16;
    }

    /**
     * A 0-d float32 tensor of {@code value} in {@code like}'s manager, in memory torch owns. DJL's Number
     * overloads ({@code x.mul(2f)}) and {@code create} on the CPU wrap a Java direct buffer, which is freed
     * once its array is closed and the GC runs; autograd keeps such operands for the backward pass, which
     * then reads freed memory (NaN or drifting gradients that depend on GC timing). Operands that training
     * differentiates through use this instead; {@code AutogradOperandsTest} catches an op that does not.
     */
    public static NDArray scalar(NDArray like, float value) {
        return owned(like.getManager().create(value));
    }

    /** A copy of {@code javaBacked} whose memory torch owns (see {@link #scalar}); the original is closed. */
    public static NDArray owned(NDArray javaBacked) {
        try (javaBacked) {
            return javaBacked.duplicate();
        }
    }

    /**
     * Runs {@code body} with autograd off on this thread. libtorch's grad mode is per thread and on by default;
     * DJL turns it off only on the thread that loads the engine and after a gradient collector that found it off,
     * so a forward outside any collector can still record a graph that holds every intermediate (and, for QLoRA,
     * every expanded weight) until its arrays are closed. Forwards that need no gradient say so explicitly.
     */
    public static <T> T withoutGradients(Supplier<T> body) {
        engine();
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(was);
        }
    }

    /**
     * Turns autograd recording off on the calling thread: the state all engine code assumes outside a gradient
     * collector (optimizer updates and checkpoint restores write into arrays that require gradients). PyTorch keeps
     * it per thread, and only the thread that started the engine begins with it off; a thread of its own (a trainer
     * worker's) begins with it on, where the first in-place update fails.
     */
    public static void gradientsOff() {
        engine();
        JniUtils.setGradMode(false);
    }

    /** Refuses compute dtypes the engine cannot run, before DJL gets a chance to abort the process. */
    public static void checkComputeDtype(DataType dtype) {
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16 && dtype != DataType.BFLOAT16) {
            throw new IllegalArgumentException("compute dtype " + dtype
                    + " is not supported (float32, float16, bfloat16)");
        }
    }

    /**
     * {@code x}'s dtype, bfloat16 included: DJL reads a bf16 array's dtype as {@code UNKNOWN} (see {@link NativeOps}),
     * and no other dtype it cannot name reaches the engine.
     */
    public static DataType dtypeOf(NDArray x) {
        DataType type = x.getDataType();
        return type == DataType.UNKNOWN ? DataType.BFLOAT16 : type;
    }

    /**
     * {@code x} in {@code dtype}, or {@code x} itself when it already is; differentiable. Model code casts floats
     * only through here: DJL's {@code toType} cuts the autograd graph and aborts the JVM for bfloat16 ({@link NativeOps}).
     */
    public static NDArray cast(NDArray x, DataType dtype) {
        return dtypeOf(x) == dtype ? x : NativeOps.cast(x, dtype);
    }

    /**
     * As {@link #cast}, with a copy made in {@code scope} rather than in {@code x}'s manager: for a long-lived array
     * (a weight) cast for one call, whose copy would otherwise stay in the weight's manager until the model closes.
     */
    public static NDArray cast(NDArray x, DataType dtype, NDManager scope) {
        NDArray cast = cast(x, dtype);
        if (cast != x) {
            cast.attach(scope);
        }
        return cast;
    }

    /** {@code x.exp_()}: e^x in place, for arrays outside any autograd graph (a loss's own gradient buffer). */
    public static void expInPlace(NDArray x) {
        NativeOps.expInPlace(x);
    }

    /**
     * Adds {@code values} (float, like {@code x}) at the flat row-major positions {@code index} (int64) of {@code x},
     * in place, for arrays outside any autograd graph: {@code x.put_(index, values, accumulate=True)}.
     */
    public static void addAtFlatIndices(NDArray x, NDArray index, NDArray values) {
        NativeOps.addAtFlatIndices(x, index, values);
    }

    private static Device requireGpu(Engine engine, int index, String spec) {
        if (index >= engine.getGpuCount()) {
            throw new IllegalArgumentException("device '" + spec + "' requested but " + engine.getGpuCount()
                    + " GPU(s) are visible to PyTorch");
        }
        return Device.gpu(index);
    }
}
