package dev.tunewright.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The trainer's result file as loss curves: empty cells where a step was not validated, clear errors otherwise. */
class LossCurveTest {

    @Test
    void readsTheResultFileColumns() throws IOException {
        LossCurve c = LossCurve.parse("""
                step,train_loss,train_mean_token_accuracy,valid_loss,valid_mean_token_accuracy,learning_rate,tokens_per_second
                1,2.5,0.1,,,0.001,900
                2,1.5,0.4,1.7,0.35,0.001,950
                """);
        assertThat(c.columns().get("step")).containsExactly(1.0, 2.0);
        assertThat(c.columns().get("valid_loss")).containsExactly(null, 1.7);
    }

    @Test
    void somethingElseIsRefusedWithWhere() {
        assertThatThrownBy(() -> LossCurve.parse("loss\n1\n")).hasMessageContaining("'step,...' header");
        assertThatThrownBy(() -> LossCurve.parse("step,train_loss\n1,abc\n")).hasMessageContaining("line 2, column train_loss");
    }
}
