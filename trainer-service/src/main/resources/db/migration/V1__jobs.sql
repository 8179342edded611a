-- Fine-tuning jobs of every team. The row is the truth about a job; the work_item queue (db/queue) only says
-- which jobs wait for or are held by a worker, and Kafka events only announce changes.
create table job (
    id                  varchar(40)  primary key,
    team_id             varchar(64)  not null,
    team_name           varchar(255) not null,
    status              varchar(20)  not null check (status in ('validating_files', 'queued', 'running', 'paused',
                                                                 'succeeded', 'failed', 'cancelled')),
    -- The model as the request named it, and as the model policy resolved it.
    model               varchar(600) not null,
    model_source        varchar(16)  not null,
    model_id            varchar(600) not null,
    model_revision      varchar(64),
    training_file       varchar(64)  not null,
    validation_file     varchar(64),
    dataset_id          varchar(64)  not null,
    suffix              varchar(64),
    seed                bigint       not null,
    -- The request's settings with "auto" kept, and the resolved settings once the dataset is known (JSON).
    requested           text         not null,
    settings            text,
    metadata            jsonb        not null default '{}'::jsonb,
    -- A cancel or pause asked for while a worker runs the job; the worker ends the job accordingly.
    stop_request        varchar(16),
    attempts            integer      not null default 0,
    step                integer      not null default 0,
    total_steps         integer,
    epoch               double precision,
    -- Mean wall-clock seconds per step of the current attempt, for estimated_finish.
    step_seconds        double precision,
    trained_tokens      bigint,
    fine_tuned_model    varchar(800),
    adapter_artifact_id varchar(80),
    result_artifact_id  varchar(80),
    lineage             text,
    error_code          varchar(64),
    error_message       text,
    error_param         varchar(128),
    created_at          timestamptz  not null,
    started_at          timestamptz,
    finished_at         timestamptz
);
create index job_by_team on job (team_id, created_at desc, id desc);
create index job_waiting_for_dataset on job (dataset_id) where status = 'validating_files';

-- What a job reports, in order: messages (status changes, the data report, checkpoints) and per-step metrics.
-- seq orders events across the table and is the SSE event id. A step that runs again after a resume reports
-- the same numbers, so a step's metrics are kept once.
create table job_event (
    seq        bigserial    primary key,
    job_id     varchar(40)  not null references job (id),
    created_at timestamptz  not null,
    level      varchar(8)   not null check (level in ('info', 'warn', 'error')),
    type       varchar(8)   not null check (type in ('message', 'metrics')),
    message    text         not null,
    data       text,
    step       integer
);
create index job_event_by_job on job_event (job_id, seq);
create unique index job_event_metrics_once on job_event (job_id, step) where type = 'metrics';

-- Checkpoints in the artifact store, each a verified folder (adapter, optimizer state, trainer state) and its
-- adapter alone in the PEFT layout; a resumed job starts from its newest one.
create table job_checkpoint (
    id                     varchar(40) primary key,
    job_id                 varchar(40) not null references job (id),
    step                   integer     not null,
    checkpoint_artifact_id varchar(80) not null,
    adapter_artifact_id    varchar(80) not null,
    metrics                text        not null,
    created_at             timestamptz not null,
    unique (job_id, step)
);

-- Datasets announced by the dataset service (DatasetIngested): which team owns them and where their splits are.
create table known_dataset (
    id                     varchar(64) primary key,
    team_id                varchar(64) not null,
    file_id                varchar(64),
    format                 varchar(32),
    train_rows             bigint      not null,
    validation_rows        bigint      not null,
    train_artifact_id      varchar(80) not null,
    validation_artifact_id varchar(80) not null,
    ingested_at            timestamptz not null
);
