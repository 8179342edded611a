-- Transactional outbox: a service inserts its events here in the same transaction as its state change;
-- OutboxRelay publishes them to Kafka afterwards, so an event exists if and only if its transaction committed.
create table outbox (
    id           bigserial primary key,
    topic        varchar(255) not null,
    record_key   varchar(255) not null,
    payload      text         not null,
    created_at   timestamptz  not null default now(),
    published_at timestamptz
);

-- The relay only ever scans unpublished rows in id order; keep that scan small as the table grows.
create index outbox_unpublished_idx on outbox (id) where published_at is null;
