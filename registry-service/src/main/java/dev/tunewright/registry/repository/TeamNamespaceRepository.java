package dev.tunewright.registry.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class TeamNamespaceRepository implements PanacheRepositoryBase<TeamNamespace, String> {
}
