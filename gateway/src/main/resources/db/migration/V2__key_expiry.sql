-- Key rotation: the replaced key keeps working until expires_at (the grace period), then it is refused like a
-- revoked one. Null means no expiry.
alter table api_key add column expires_at timestamptz;
