-- Team names as the registry learned them from TeamCreated events; adapters are named <team>/<name>.
create table team_namespace (
    team_id    varchar(64)  primary key,
    team_name  varchar(64)  not null unique,
    created_at timestamptz  not null
);

-- Every adapter version with its lineage: the job that trained it, the dataset, the base model.
create table adapter (
    id          varchar(64)  primary key,
    team_id     varchar(64)  not null,
    name        varchar(128) not null,
    version     integer      not null,
    job_id      varchar(64)  not null,
    dataset_id  varchar(64)  not null,
    base_model  varchar(256) not null,
    artifact_id varchar(128) not null,
    stage       varchar(32),
    created_at  timestamptz  not null default now(),
    unique (team_id, name, version)
);
create index adapter_by_team on adapter (team_id, created_at desc);
