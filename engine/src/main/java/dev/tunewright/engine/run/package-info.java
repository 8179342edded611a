/**
 * One fine-tuning run, shared by {@code ftctl model train} and the trainer workers:
 * {@link dev.tunewright.engine.run.FineTuneConfig} (built and checked setting by setting by
 * {@link dev.tunewright.engine.run.FineTuneConfigBuilder}, which names the setting at fault), a
 * {@link dev.tunewright.engine.run.RunListener} for the data reports, plan, steps, evaluations, checkpoints and log
 * lines, a {@link dev.tunewright.engine.run.RunControl} to cancel or pause from any thread, and
 * {@link dev.tunewright.engine.run.FineTuneRun} that runs it into a {@link dev.tunewright.engine.run.RunFolder}.
 */
package dev.tunewright.engine.run;
