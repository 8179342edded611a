package dev.tunewright.registry.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class AdapterRepository implements PanacheRepositoryBase<Adapter, String> {

    /** Which adapters a listing shows; null fields do not filter. */
    public record Filter(String baseModel, String alias, String tag, String metric, Double metricMin) {
    }

    public Optional<Adapter> byName(String teamId, String name) {
        return find("teamId = ?1 and name = ?2", teamId, name).firstResultOptional();
    }

    /** The adapter locked until the transaction ends: versions are numbered and aliases moved one at a time. */
    public Optional<Adapter> byNameForUpdate(String teamId, String name) {
        return find("teamId = ?1 and name = ?2", teamId, name).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    /**
     * One page of a team's adapters, newest first, after the adapter {@code after} (exclusive); one row more than
     * asked tells whether more exist. An adapter matches a version filter when any of its versions does.
     */
    public List<Adapter> page(String teamId, Filter filter, Adapter after, int limit) {
        StringBuilder sql = new StringBuilder("select a.* from {h-schema}adapter a where a.team_id = :team");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("team", teamId);
        if (after != null) {
            sql.append(" and (a.created_at, a.id) < (:afterTime, :afterId)");
            params.put("afterTime", after.createdAt);
            params.put("afterId", after.id);
        }
        if (filter.baseModel() != null) {
            sql.append(" and exists (select 1 from {h-schema}adapter_version v where v.adapter_id = a.id"
                    + " and v.base_model = :base)");
            params.put("base", filter.baseModel());
        }
        if (filter.alias() != null) {
            sql.append(" and exists (select 1 from {h-schema}adapter_alias l where l.adapter_id = a.id and l.alias = :alias)");
            params.put("alias", filter.alias());
        }
        if (filter.tag() != null) {
            sql.append(" and cast(a.tags as jsonb) @> jsonb_build_array(cast(:tag as text))");
            params.put("tag", filter.tag());
        }
        if (filter.metric() != null) {
            // The newest completed evaluation of each version's job is its verdict; it must reach the threshold.
            sql.append(" and exists (select 1 from {h-schema}adapter_version v where v.adapter_id = a.id and"
                    + " (select cast(cast(e.tuned_metrics as jsonb) ->> :metric as double precision)"
                    + " from {h-schema}job_evaluation e where e.team_id = v.team_id and e.job_id = v.job_id"
                    + " and e.status = 'completed' order by e.occurred_at desc, e.evaluation_id desc limit 1) >= :metricMin)");
            params.put("metric", filter.metric());
            params.put("metricMin", filter.metricMin());
        }
        sql.append(" order by a.created_at desc, a.id desc limit :limit");
        params.put("limit", limit + 1);
        Query query = getEntityManager().createNativeQuery(sql.toString(), Adapter.class);
        params.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<Adapter> rows = query.getResultList();
        return new ArrayList<>(rows);
    }
}
