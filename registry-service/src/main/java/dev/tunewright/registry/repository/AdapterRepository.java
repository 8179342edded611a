package dev.tunewright.registry.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class AdapterRepository implements PanacheRepositoryBase<Adapter, String> {

    /** One page of a team's adapters, newest first; one row more than asked tells whether more exist. */
    public List<Adapter> pageOfTeam(String teamId, int limit) {
        return find("teamId", Sort.descending("createdAt"), teamId).page(Page.ofSize(limit + 1)).list();
    }
}
