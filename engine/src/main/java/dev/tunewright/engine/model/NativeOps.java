package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * libtorch ops DJL 0.36's PyTorch JNI does not offer, called through JNA (as {@link Denormals} reaches libtorch):
 * a dtype cast like PyTorch's {@code x.to(dtype)}, and two in-place ops the loss needs to turn its log-probabilities
 * into their gradient without allocating another (N, vocab) array. The cast fills two gaps in DJL.
 *
 * <p>First, its {@code toType} is not differentiable: the native {@code torchTo} runs under a {@code NoGradGuard},
 * so a cast inside a gradient collector cuts the graph, and an adapter behind a cast (LoRA on a bf16 or fp16 base,
 * float32 logits of a bf16 model) would get no gradient at all.
 *
 * <p>Second, it cannot name bfloat16. Its native code maps DJL dtypes to torch's through a switch without a bfloat16
 * case whose default is a bare C++ {@code throw;}: any JNI call that passes bfloat16 (or a bf16 tensor's own dtype,
 * which DJL reads back as {@link DataType#UNKNOWN}) calls {@code std::terminate} and aborts the JVM. That is the abort
 * once seen with bf16 on the CPU: {@code toType(BFLOAT16)}, {@code create(..., BFLOAT16)}, {@code softmax} and
 * {@code logSoftmax} of a bf16 array (they pass the array's dtype), {@code zerosLike}, {@code ones} and every
 * {@code Number} overload ({@code x.add(1f)} creates a scalar of x's dtype).
 *
 * <p>So casts call libtorch's own {@code at::_ops::to_dtype::call}, which autograd records like any op; the result is handed to DJL as an ordinary array. Everything else
 * the engine does on bf16 arrays passes no dtype (matmul, elementwise ops with tensor operands, embedding lookup,
 * concat, indexing), and {@link Torch#dtypeOf} reads {@code UNKNOWN} back as bf16, since no other dtype DJL cannot
 * name reaches the engine.
 */
final class NativeOps {

    private NativeOps() {}

    /** {@code x} in {@code dtype} (a new array in {@code x}'s manager), differentiable like {@code x.to(dtype)}. */
    static NDArray cast(NDArray x, DataType dtype) {
        Natives natives = Natives.get();
        // storage for the returned at::Tensor (one intrusive pointer), made by operator new because DJL frees its
        // handles with delete
        Pointer result = natives.operatorNew.invokePointer(new Object[] {8L});
        // Tensor to_dtype(const Tensor& self, ScalarType dtype, bool non_blocking, bool copy, optional<MemoryFormat>);
        // the Tensor comes back through the hidden result pointer, the optional (2 bytes) is passed in a register
        natives.toDtype.invokePointer(new Object[] {
                result, handle(x), scalarType(dtype), false, false, (short) 0});
        return new PtNDArray((PtNDManager) x.getManager(), Pointer.nativeValue(result));
    }

    /** {@code x.exp_()}: e^x in place; not for arrays autograd needs. */
    static void expInPlace(NDArray x) {
        // Tensor& exp_(Tensor& self)
        Natives.get().exp.invokePointer(new Object[] {handle(x)});
    }

    /**
     * {@code x.put_(index, values, accumulate=True)}: adds {@code values} at the flat (row-major) positions
     * {@code index} of {@code x}, in place; not for arrays autograd needs.
     */
    static void addAtFlatIndices(NDArray x, NDArray index, NDArray values) {
        // Tensor& put_(Tensor& self, const Tensor& index, const Tensor& source, bool accumulate)
        Natives.get().put.invokePointer(new Object[] {handle(x), handle(index), handle(values), true});
    }

    /** Whether the functions above are reachable here (bf16 compute needs them; float32 does not). */
    static boolean available() {
        try {
            Natives.get();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static Pointer handle(NDArray x) {
        return new Pointer(((PtNDArray) x).getHandle());
    }

    /** {@code c10::ScalarType}'s number for {@code dtype}. */
    private static int scalarType(DataType dtype) {
        return switch (dtype) {
            case FLOAT16 -> 5;
            case FLOAT32 -> 6;
            case FLOAT64 -> 7;
            case BFLOAT16 -> 15;
            default -> throw new IllegalArgumentException("no differentiable cast to " + dtype);
        };
    }

    /** libtorch's functions, looked up once; a clear error where they cannot be. */
    private record Natives(Function operatorNew, Function toDtype, Function exp, Function put) {

        private static volatile Natives instance;

        static Natives get() {
            Natives n = instance;
            if (n == null) {
                synchronized (Natives.class) {
                    n = instance;
                    if (n == null) {
                        n = lookUp();
                        instance = n;
                    }
                }
            }
            return n;
        }

        private static Natives lookUp() {
            Torch.engine();
            try {
                NativeLibrary lib = NativeLibrary.getInstance(
                        Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu")).toString());
                return new Natives(lib.getFunction("_Znwm"),
                        lib.getFunction("_ZN2at4_ops8to_dtype4callERKNS_6TensorEN3c1010ScalarTypeEbbSt8optionalINS5_12MemoryFormatEE"),
                        lib.getFunction("_ZN2at4_ops4exp_4callERNS_6TensorE"),
                        lib.getFunction("_ZN2at4_ops4put_4callERNS_6TensorERKS2_S5_b"));
            } catch (RuntimeException | LinkageError e) {
                throw new IllegalStateException("libtorch's at::_ops functions (to_dtype, exp_, put_) are not reachable "
                        + "here (" + e + ")", e);
            }
        }
    }
}
