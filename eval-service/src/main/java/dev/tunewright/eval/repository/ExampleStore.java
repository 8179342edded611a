package dev.tunewright.eval.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * The held-out rows of evaluations and every model's output for each (tables {@code evaluation_example} and
 * {@code evaluation_output}). Plain SQL: rows are written in batches and read in index order, never as a graph.
 */
@ApplicationScoped
public class ExampleStore {

    /** A held-out row: the prompt messages (JSON) and the reference answer. */
    public record Example(int index, long sourceLine, String messages, String expected, String scores) {
    }

    /** One model's answer to one example. */
    public record Output(int index, String model, String output, String finishReason, Integer promptTokens,
            Integer completionTokens, double latencyMs, int batchNo, int batchSize) {
    }

    private final EntityManager entityManager;

    public ExampleStore(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void addExamples(String evaluationId, List<Example> examples) {
        for (Example e : examples) {
            entityManager.createNativeQuery("insert into {h-schema}evaluation_example (evaluation_id, idx, source_line,"
                            + " messages, expected) values (:id, :idx, :line, :messages, :expected) on conflict do nothing")
                    .setParameter("id", evaluationId)
                    .setParameter("idx", e.index())
                    .setParameter("line", e.sourceLine())
                    .setParameter("messages", e.messages())
                    .setParameter("expected", e.expected())
                    .executeUpdate();
        }
    }

    /** Outputs of a batch; an output already there (a resumed or taken-over run) is kept as it was. */
    @Transactional
    public void addOutputs(String evaluationId, List<Output> outputs) {
        for (Output o : outputs) {
            entityManager.createNativeQuery("insert into {h-schema}evaluation_output (evaluation_id, idx, model, output,"
                            + " finish_reason, prompt_tokens, completion_tokens, latency_ms, batch_no, batch_size)"
                            + " values (:id, :idx, :model, :output, :finish, :prompt, :completion, :latency, :batch, :size)"
                            + " on conflict do nothing")
                    .setParameter("id", evaluationId)
                    .setParameter("idx", o.index())
                    .setParameter("model", o.model())
                    .setParameter("output", o.output())
                    .setParameter("finish", o.finishReason())
                    .setParameter("prompt", o.promptTokens())
                    .setParameter("completion", o.completionTokens())
                    .setParameter("latency", o.latencyMs())
                    .setParameter("batch", o.batchNo())
                    .setParameter("size", o.batchSize())
                    .executeUpdate();
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void setScores(String evaluationId, int index, String scores) {
        entityManager.createNativeQuery("update {h-schema}evaluation_example set scores = :scores"
                        + " where evaluation_id = :id and idx = :idx")
                .setParameter("scores", scores)
                .setParameter("id", evaluationId)
                .setParameter("idx", index)
                .executeUpdate();
    }

    @Transactional
    public List<Example> examples(String evaluationId) {
        return examples(evaluationId, -1, Integer.MAX_VALUE);
    }

    /** Examples with index greater than {@code after}, at most {@code limit}, in index order. */
    @Transactional
    public List<Example> examples(String evaluationId, int after, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("select idx, source_line, messages, expected, scores"
                        + " from {h-schema}evaluation_example where evaluation_id = :id and idx > :after order by idx")
                .setParameter("id", evaluationId)
                .setParameter("after", after)
                .setMaxResults(limit)
                .getResultList();
        List<Example> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(new Example(((Number) r[0]).intValue(), ((Number) r[1]).longValue(), (String) r[2], (String) r[3],
                    (String) r[4]));
        }
        return out;
    }

    /** Every output of the evaluation, by example index then model. */
    @Transactional
    public List<Output> outputs(String evaluationId) {
        return outputs(evaluationId, -1, Integer.MAX_VALUE);
    }

    /** Outputs of the examples with index in ({@code after}, {@code upTo}]. */
    @Transactional
    public List<Output> outputs(String evaluationId, int after, int upTo) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("select idx, model, output, finish_reason, prompt_tokens,"
                        + " completion_tokens, latency_ms, batch_no, batch_size from {h-schema}evaluation_output"
                        + " where evaluation_id = :id and idx > :after and idx <= :upTo order by idx, model")
                .setParameter("id", evaluationId)
                .setParameter("after", after)
                .setParameter("upTo", upTo)
                .getResultList();
        List<Output> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(new Output(((Number) r[0]).intValue(), (String) r[1], (String) r[2], (String) r[3],
                    r[4] == null ? null : ((Number) r[4]).intValue(), r[5] == null ? null : ((Number) r[5]).intValue(),
                    ((Number) r[6]).doubleValue(), ((Number) r[7]).intValue(), ((Number) r[8]).intValue()));
        }
        return out;
    }

    @Transactional
    public long count(String evaluationId) {
        return ((Number) entityManager.createNativeQuery("select count(*) from {h-schema}evaluation_example"
                        + " where evaluation_id = :id")
                .setParameter("id", evaluationId)
                .getSingleResult()).longValue();
    }
}
