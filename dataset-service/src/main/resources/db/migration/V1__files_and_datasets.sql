-- Uploaded files that passed validation (or were accepted with skip_invalid). The bytes live in the artifact
-- store; report holds every problem found with its line number, as JSON text.
create table dataset_file (
    id            varchar(40)  primary key,
    team_id       varchar(64)  not null,
    filename      varchar(512) not null,
    purpose       varchar(32)  not null,
    bytes         bigint       not null,
    sha256        char(64)     not null,
    artifact_id   varchar(80)  not null,
    format        varchar(32)  not null,
    lines         bigint       not null,
    valid_rows    bigint       not null,
    skipped_lines bigint       not null,
    report        text         not null,
    created_at    timestamptz  not null,
    deleted_at    timestamptz
);
create index dataset_file_by_team on dataset_file (team_id, created_at desc);

-- Uploads rejected in strict mode: their content is not kept, only who sent what and why it was refused.
create table rejected_upload (
    id            varchar(40)  primary key,
    team_id       varchar(64)  not null,
    filename      varchar(512) not null,
    bytes         bigint       not null,
    sha256        char(64)     not null,
    problem_count bigint       not null,
    report        text         not null,
    created_at    timestamptz  not null
);

-- A dataset version: an uploaded file cut into train and validation splits under given options. The id derives
-- from the team, the file's hash and the options, so the same request always yields the same dataset.
create table dataset (
    id                     varchar(40)  primary key,
    team_id                varchar(64)  not null,
    file_id                varchar(40)  not null references dataset_file (id),
    validation_file_id     varchar(40)  references dataset_file (id),
    options                text         not null,
    format                 varchar(32)  not null,
    train_artifact_id      varchar(80)  not null,
    validation_artifact_id varchar(80)  not null,
    train_rows             bigint       not null,
    validation_rows        bigint       not null,
    stats                  text         not null,
    report                 text         not null,
    created_at             timestamptz  not null
);
create index dataset_by_team on dataset (team_id, created_at desc);

-- Which jobs train on which dataset, learned from job events; a file cannot be deleted while one is active.
create table dataset_usage (
    job_id     varchar(64) primary key,
    team_id    varchar(64) not null,
    dataset_id varchar(40) not null,
    active     boolean     not null,
    updated_at timestamptz not null
);
create index dataset_usage_active on dataset_usage (dataset_id) where active;
