create table team (
    id         uuid primary key,
    name       varchar(63) not null unique,
    created_at timestamptz not null
);

-- Only the SHA-256 of a key is stored: a database leak does not leak usable keys. The prefix lets people tell
-- their keys apart in listings without revealing them.
create table api_key (
    id         uuid primary key,
    team_id    uuid        not null references team (id),
    prefix     varchar(16) not null,
    key_hash   char(64)    not null unique,
    created_at timestamptz not null,
    revoked_at timestamptz
);

create index api_key_team_idx on api_key (team_id);
