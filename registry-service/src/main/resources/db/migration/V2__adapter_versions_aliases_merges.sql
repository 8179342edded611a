-- The registry proper. V1's adapter table never held rows (nothing registered adapters before this version); it is
-- replaced by one row per adapter name with its versions, aliases and their audit, evaluations and merged exports.
-- JSON values are stored as text and cast to jsonb where a query looks inside them.
drop table adapter;

-- An adapter: every version a team registered under one name. Versions only grow (latest_version is bumped under
-- the row's lock), so a number once given is never given again.
create table adapter (
    id             varchar(40)  primary key,
    team_id        varchar(64)  not null,
    name           varchar(128) not null,
    description    text,
    tags           text         not null default '[]',
    latest_version integer      not null default 0,
    created_at     timestamptz  not null,
    updated_at     timestamptz  not null,
    unique (team_id, name)
);
create index adapter_page on adapter (team_id, created_at desc, id desc);

-- One registered version: the job's adapter folder (every file with its SHA-256) and the lineage the job reported.
-- A job registers at most one version (unique team_id, job_id), however often its event arrives.
create table adapter_version (
    id                      varchar(40)   primary key,
    adapter_id              varchar(40)   not null references adapter (id),
    team_id                 varchar(64)   not null,
    version                 integer       not null,
    job_id                  varchar(64)   not null,
    fine_tuned_model        varchar(512),
    artifact_id             varchar(128)  not null,
    files                   text          not null,
    adapter_bytes           bigint        not null,
    base_model              varchar(512)  not null,
    base_model_revision     varchar(128),
    base_weights_sha256     varchar(64),
    base_tokenizer_sha256   varchar(64),
    dataset_id              varchar(64),
    dataset_sha256          varchar(64),
    train_artifact_id       varchar(128),
    validation_artifact_id  varchar(128),
    hyperparameters         text          not null,
    seed                    bigint,
    engine_version          varchar(64),
    trained_tokens          bigint,
    final_train_loss        double precision,
    final_validation_loss   double precision,
    result_file_artifact_id varchar(128),
    lora_rank               integer,
    readiness_status        varchar(16)   not null check (readiness_status in ('pending', 'passed', 'failed')),
    readiness_checks        text          not null default '[]',
    readiness_checked_at    timestamptz,
    created_at              timestamptz   not null,
    unique (adapter_id, version),
    unique (team_id, job_id)
);
create index adapter_version_by_base on adapter_version (team_id, base_model);
create unique index adapter_version_by_model on adapter_version (team_id, fine_tuned_model);

-- What the evaluator said about a job's final adapter, kept whether or not the version is registered yet, so that
-- registration and evaluation may arrive in either order. The newest evaluation of a job is its verdict.
create table job_evaluation (
    evaluation_id     varchar(64)  primary key,
    team_id           varchar(64)  not null,
    job_id            varchar(64)  not null,
    status            varchar(16)  not null check (status in ('completed', 'failed')),
    verdict           varchar(32),
    task_type         varchar(32),
    primary_metric    varchar(64),
    difference        double precision,
    difference_low    double precision,
    difference_high   double precision,
    base_metrics      text         not null default '{}',
    tuned_metrics     text         not null default '{}',
    reference_model   varchar(512),
    reference_metrics text         not null default '{}',
    reference_verdict varchar(32),
    message           text,
    occurred_at       timestamptz  not null
);
create index job_evaluation_by_job on job_evaluation (team_id, job_id, occurred_at desc);

-- An alias points to exactly one version of its adapter.
create table adapter_alias (
    id         bigserial   primary key,
    adapter_id varchar(40) not null references adapter (id),
    alias      varchar(64) not null,
    version    integer     not null,
    updated_at timestamptz not null,
    unique (adapter_id, alias)
);

-- Every alias move, kept forever: who (team; the gateway does not forward the API key id yet), when, from which
-- version to which (null: removed), why, and what the gate said when it was forced past.
create table alias_move (
    id              bigserial    primary key,
    adapter_id      varchar(40)  not null references adapter (id),
    alias           varchar(64)  not null,
    from_version    integer,
    to_version      integer,
    actor_team_id   varchar(64)  not null,
    actor_team_name varchar(128) not null,
    reason          text,
    forced          boolean      not null,
    overridden      text         not null default '[]',
    occurred_at     timestamptz  not null
);
create index alias_move_by_adapter on alias_move (adapter_id, alias, id desc);

-- Merged full-model exports, run on the work queue (kind 'merge'); one per version and dtype.
create table merge_export (
    id           varchar(40)  primary key,
    team_id      varchar(64)  not null,
    version_id   varchar(40)  not null references adapter_version (id),
    dtype        varchar(16)  not null,
    status       varchar(16)  not null check (status in ('queued', 'running', 'succeeded', 'failed')),
    artifact_id  varchar(128),
    bytes        bigint,
    error        text,
    requested_at timestamptz  not null,
    finished_at  timestamptz,
    unique (version_id, dtype)
);
