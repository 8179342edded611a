package dev.tunewright.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

class TorchTest {

    @Test
    void deviceSpecsResolveOrAreRefusedByName() {
        assertThat(Torch.device("cpu")).isEqualTo(Device.cpu());
        assertThat(Torch.device(" CPU ")).isEqualTo(Device.cpu());
        assertThat(Torch.device(null)).isIn(Device.cpu(), Device.gpu());
        assertThatThrownBy(() -> Torch.device("tpu")).hasMessageContaining("'tpu'").hasMessageContaining("cuda:N");
        assertThatThrownBy(() -> Torch.device("cuda:x")).hasMessageContaining("'cuda:x'");
        assertThatThrownBy(() -> Torch.device("cuda:64")).hasMessageContaining("GPU(s) are visible");
    }

    /**
     * libtorch's grad mode is per thread and on in any thread but the one that loaded the engine, so a forward
     * that needs no gradient has to switch it off itself, and put back whatever the thread had.
     */
    @Test
    void withoutGradientsSwitchesAutogradOffOnAnyThreadAndRestoresIt() throws Exception {
        Torch.engine();
        boolean[] seen = new boolean[3];
        Thread worker = new Thread(() -> {
            seen[0] = JniUtils.isGradMode();
            seen[1] = Torch.withoutGradients(JniUtils::isGradMode);
            seen[2] = JniUtils.isGradMode();
        });
        worker.start();
        worker.join();
        assertThat(seen[0]).as("a fresh thread records graphs").isTrue();
        assertThat(seen[1]).as("inside").isFalse();
        assertThat(seen[2]).as("restored").isTrue();
    }

    @Test
    void computeDtypeFollowsTheDeviceAndFamily() {
        assertThat(Torch.dtypeFor(Device.cpu(), Family.LLAMA)).isEqualTo(DataType.FLOAT32);
        assertThat(Torch.dtypeFor(Device.gpu(), Family.QWEN2)).isEqualTo(DataType.FLOAT16);
        assertThat(Torch.dtypeFor(Device.gpu(), Family.GEMMA2)).isEqualTo(DataType.FLOAT32);
        assertThatThrownBy(() -> Torch.checkComputeDtype(DataType.INT8)).hasMessageContaining("int8");
    }
}
