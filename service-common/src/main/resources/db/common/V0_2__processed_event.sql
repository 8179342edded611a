-- Event ids a consumer already handled, written in the consumer's own transaction so that a redelivered
-- event is skipped exactly when its effects were committed. Keyed by (event, consumer) so that two
-- consumers in one service can each process the same event once.
create table processed_event (
    event_id     uuid         not null,
    consumer     varchar(255) not null,
    processed_at timestamptz  not null default now(),
    primary key (event_id, consumer)
);
