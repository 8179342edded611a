package dev.tunewright.gateway.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class TeamRepository implements PanacheRepositoryBase<Team, UUID> {

    public Optional<Team> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public List<Team> listByName() {
        return listAll(Sort.by("name"));
    }
}
