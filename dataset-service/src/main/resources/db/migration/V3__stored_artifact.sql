-- Artifacts this service published into the store it shares with every other service, and when. The dataset service
-- collects (deletes) only artifacts listed here, after a grace period, and only when no file, row index or dataset
-- points at them: content-addressed bytes may also belong to another service, which keeps its own list.
create table stored_artifact (
    artifact_id varchar(80) primary key,
    stored_at   timestamptz not null
);
create index stored_artifact_by_time on stored_artifact (stored_at);
