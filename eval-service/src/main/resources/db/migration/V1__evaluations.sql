-- Fine-tuned models this service can serve and evaluate, learned from job.succeeded events: the ft: id a team
-- names in chat completions maps to its base model and adapter artifact here, scoped by team.
create table fine_tuned_model (
    id                      varchar(300)  primary key,
    team_id                 varchar(64)   not null,
    job_id                  varchar(64)   not null,
    base_model              varchar(1024) not null,
    adapter_artifact_id     varchar(80)   not null,
    train_artifact_id       varchar(80),
    validation_artifact_id  varchar(80),
    result_file_artifact_id varchar(80),
    lineage                 text          not null,
    created_at              timestamptz   not null
);
create index fine_tuned_model_by_job on fine_tuned_model (team_id, job_id);
create index fine_tuned_model_by_adapter on fine_tuned_model (team_id, adapter_artifact_id);

-- One evaluation: what is compared (base model, adapter, split) under which options, and its outcome. Its work
-- runs from the shared work queue (work_item, kind 'evaluation'); result holds the report as JSON once done.
-- reference_key is the reference endpoint's API key, AES-GCM encrypted, never returned.
create table evaluation (
    id                      varchar(40)   primary key,
    team_id                 varchar(64)   not null,
    origin                  varchar(16)   not null check (origin in ('job', 'checkpoint', 'request')),
    job_id                  varchar(64),
    checkpoint_step         bigint,
    fine_tuned_model        varchar(300),
    base_model              varchar(1024) not null,
    adapter_artifact_id     varchar(80)   not null,
    split                   varchar(16)   not null,
    split_artifact_id       varchar(80)   not null,
    result_file_artifact_id varchar(80),
    max_seq_length          integer,
    options                 text          not null,
    reference_key           text,
    status                  varchar(16)   not null check (status in ('queued', 'running', 'succeeded', 'failed')),
    progress                text          not null default '{}',
    result                  text,
    error                   text,
    created_at              timestamptz   not null,
    started_at              timestamptz,
    finished_at             timestamptz
);
create index evaluation_by_team on evaluation (team_id, created_at desc, id desc);
-- A job (or one checkpoint of it) is evaluated automatically once, whatever the events' redelivery does.
create unique index evaluation_once_per_job on evaluation (team_id, job_id, coalesce(checkpoint_step, -1))
    where origin in ('job', 'checkpoint');

-- The held-out rows of an evaluation, as prompts and reference answers; scores (JSON, per model and metric)
-- are written when the evaluation completes.
create table evaluation_example (
    evaluation_id varchar(40) not null references evaluation (id) on delete cascade,
    idx           integer     not null,
    source_line   bigint      not null,
    messages      text        not null,
    expected      text        not null,
    scores        text,
    primary key (evaluation_id, idx)
);

-- Every model's output for every example, kept so that a person can check each number. Written batch by batch,
-- so a resumed evaluation generates only what is missing. latency_ms is the wall time of the batch the example
-- was generated in (what a request in that batch waited); batch_no tells batches apart for throughput.
create table evaluation_output (
    evaluation_id     varchar(40)      not null,
    idx               integer          not null,
    model             varchar(16)      not null check (model in ('base', 'fine_tuned', 'reference')),
    output            text             not null,
    finish_reason     varchar(16)      not null,
    prompt_tokens     integer,
    completion_tokens integer,
    latency_ms        double precision not null,
    batch_no          integer          not null,
    batch_size        integer          not null,
    primary key (evaluation_id, idx, model),
    foreign key (evaluation_id, idx) references evaluation_example (evaluation_id, idx) on delete cascade
);
