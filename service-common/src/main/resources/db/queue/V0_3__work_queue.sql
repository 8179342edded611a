-- The work queue of a service that runs long work on workers (trainer: training jobs; eval: evaluations).
-- A row exists while its work is waiting or running and is deleted, in the same transaction as the domain
-- state change, when the work ends. A worker claims a row with a lease (FOR UPDATE SKIP LOCKED), renews it by
-- heartbeat, and every later write names the lease token it was given, so a worker whose lease expired (it
-- crashed, or stalled past its lease) can never finish work that another worker took over.
-- stop_request carries a cancel or pause asked through the API to the worker running the item (which may be
-- another process); the worker reads it after each unit of work.
-- Services that use it add db/queue to quarkus.flyway.locations; dev.tunewright.common.queue.WorkQueue is the
-- one implementation. KEDA's PostgreSQL scaler counts claimable rows with the same predicate as WorkQueue.depth.
create table work_item (
    id               varchar(64)  primary key,
    kind             varchar(32)  not null,
    team_id          varchar(64)  not null,
    state            varchar(16)  not null check (state in ('queued', 'leased')),
    priority         integer      not null default 0,
    enqueued_at      timestamptz  not null default now(),
    available_at     timestamptz  not null default now(),
    lease_owner      varchar(128),
    lease_token      uuid,
    lease_expires_at timestamptz,
    attempts         integer      not null default 0,
    stop_request     varchar(16),
    last_error       text
);
create index work_item_claim on work_item (kind, priority desc, enqueued_at);
