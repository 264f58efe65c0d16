-- The cluster store on PostgreSQL (Orleans:MembershipStore=PostgreSql): the tables and the queries
-- that Orleans' ADO.NET membership and grain-storage providers run (they read every query they use,
-- by key, from OrleansQuery at start). Written for Coordinator against the providers' contract: the
-- query keys, the parameter names (@Name) and the names of the result columns.
--
-- Idempotent, in one transaction: every silo and gateway applies it at start (unless
-- Orleans:PostgreSqlCreateSchema=false), and a DBA can apply it by hand with
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f cluster-store.sql
-- Tables are created when missing and never altered or dropped; the queries are replaced with this
-- version's. Needs PostgreSQL 11 or later.
BEGIN;

-- Two processes applying this at once would race on CREATE TABLE IF NOT EXISTS.
SELECT pg_advisory_xact_lock(7306105710530925617);

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey varchar(64) NOT NULL PRIMARY KEY,
    QueryText text NOT NULL
);

-- One row per cluster (Orleans' "deployment id" is the cluster id): the version that every change of
-- a silo row moves on, compared and set in the same statement (optimistic concurrency).
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id text NOT NULL PRIMARY KEY,
    version integer NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port, generation).
CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id text NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address text NOT NULL,
    port integer NOT NULL,
    generation integer NOT NULL,
    silo_name text NOT NULL,
    host_name text NOT NULL,
    status integer NOT NULL,
    proxy_port integer,
    suspect_times text,
    start_time timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Grain state (here only the stream pub-sub store's): one row per service, grain type and grain id.
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id text NOT NULL,
    grain_type text NOT NULL,
    grain_type_hash integer NOT NULL,
    grain_id_hash integer NOT NULL,
    grain_id_n0 bigint NOT NULL,
    grain_id_n1 bigint NOT NULL,
    grain_id_extension text NOT NULL DEFAULT '',
    payload bytea,
    version integer NOT NULL,
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Membership. A write answers one integer column: > 0 done, 0 not done (Orleans rereads and retries).
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1)
SELECT count(*)::integer FROM created
$q$),

-- The version moves first, and only from the version the writer read: its row lock makes a
-- concurrent writer of the same version wait and then find the version moved (nothing written).
('InsertMembershipKey', $q$
WITH moved AS (
    UPDATE orleans_membership_version SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
    RETURNING deployment_id),
added AS (
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name,
        status, proxy_port, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM moved
    ON CONFLICT DO NOTHING
    RETURNING 1)
SELECT count(*)::integer FROM added
$q$),

('UpdateMembershipKey', $q$
WITH moved AS (
    UPDATE orleans_membership_version SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
    RETURNING deployment_id),
changed AS (
    UPDATE orleans_membership AS m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM moved
    WHERE m.deployment_id = moved.deployment_id
        AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1)
SELECT count(*)::integer FROM changed
$q$),

-- A heartbeat: not versioned, its result not read.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- Reads answer the version row even without a silo row (StartTime null then).
('MembershipReadRowKey', $q$
SELECT v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
    m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
    m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime,
    v.version AS Version
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m ON m.deployment_id = v.deployment_id
    AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
SELECT v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
    m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
    m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime,
    v.version AS Version
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

-- The silos a gateway (Orleans client) may connect to: @Status is Active.
('GatewaysQueryKey', $q$
SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Rows of silos gone for longer than Orleans' DefunctSiloExpiration; never an Active (3) row.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3
$q$),

-- Grain state. Orleans compares the version a write answers with the one it sent: no row or the
-- same version means a conflict (InconsistentStateException). @GrainStateVersion is null for a
-- grain that has never been written.
('ReadFromStorageKey', $q$
SELECT payload AS PayloadBinary, now() AS ModifiedOn, version AS Version
FROM orleans_grain_state
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
    AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
    AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
    AND grain_type_hash = @GrainTypeHash AND grain_id_hash = @GrainIdHash
$q$),

('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleans_grain_state
    SET payload = @PayloadBinary, version = version + 1, modified_at = now()
    WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
        AND service_id = @ServiceId AND grain_type = @GrainTypeString
        AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
        AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
    RETURNING version),
inserted AS (
    INSERT INTO orleans_grain_state (service_id, grain_type, grain_type_hash, grain_id_hash,
        grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainTypeHash, @GrainIdHash,
        @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''), @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT version FROM inserted
$q$),

('ClearStorageKey', $q$
UPDATE orleans_grain_state
SET payload = NULL, version = version + 1, modified_at = now()
WHERE version = @GrainStateVersion
    AND service_id = @ServiceId AND grain_type = @GrainTypeString
    AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
    AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
RETURNING version AS NewGrainStateVersion
$q$),

-- Answers the deleted row's version + 1, which Orleans reads as "changed".
('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state
WHERE version = @GrainStateVersion
    AND service_id = @ServiceId AND grain_type = @GrainTypeString
    AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
    AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
RETURNING version + 1 AS NewGrainStateVersion
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

COMMIT;
