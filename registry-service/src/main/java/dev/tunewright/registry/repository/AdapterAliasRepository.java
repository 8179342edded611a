package dev.tunewright.registry.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class AdapterAliasRepository implements PanacheRepositoryBase<AdapterAlias, Long> {

    public Optional<AdapterAlias> of(String adapterId, String alias) {
        return find("adapterId = ?1 and alias = ?2", adapterId, alias).firstResultOptional();
    }

    public List<AdapterAlias> of(String adapterId) {
        return list("adapterId", Sort.ascending("alias"), adapterId);
    }
}
