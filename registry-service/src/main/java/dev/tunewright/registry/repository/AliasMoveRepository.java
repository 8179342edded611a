package dev.tunewright.registry.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class AliasMoveRepository implements PanacheRepositoryBase<AliasMove, Long> {

    /** The newest moves of one alias first. */
    public List<AliasMove> history(String adapterId, String alias, int limit) {
        return find("adapterId = ?1 and alias = ?2", Sort.descending("id"), adapterId, alias).page(Page.ofSize(limit)).list();
    }
}
