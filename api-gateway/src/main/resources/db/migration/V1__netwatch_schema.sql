-- netwatch gateway schema. Rows are upserted by id, so re-delivered records change nothing.
-- Times are event times (a replayed capture keeps its own); retention goes by when rows were written
-- (alerts.updated_at, flows.stored_at). record / src_intel / dst_intel / status hold the wire record as JSON text (docs/topics.md).

CREATE TABLE alerts (
    alert_id        text PRIMARY KEY,
    rule            text        NOT NULL,
    severity        text        NOT NULL,
    severity_rank   smallint    NOT NULL,
    first_seen      timestamptz NOT NULL,
    last_seen       timestamptz NOT NULL,
    hits            bigint      NOT NULL,
    probe_id        text,
    src_ip          text,
    dst_ip          text,
    description     text,
    record          text        NOT NULL,
    src_intel       text,
    dst_intel       text,
    acknowledged    boolean     NOT NULL DEFAULT false,
    ack_by          text,
    ack_at          timestamptz,
    ack_note        text,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_last_seen ON alerts (last_seen DESC);
CREATE INDEX alerts_rule ON alerts (rule, last_seen DESC);
CREATE INDEX alerts_src_ip ON alerts (src_ip);
CREATE INDEX alerts_unacknowledged ON alerts (last_seen DESC) WHERE NOT acknowledged;

CREATE TABLE flows (
    flow_id         text PRIMARY KEY,
    probe_id        text,
    first_seen      timestamptz NOT NULL,
    last_seen       timestamptz NOT NULL,
    update_seq      integer     NOT NULL,
    record_type     text        NOT NULL,
    ip_proto        smallint    NOT NULL,
    transport       text,
    src_ip          text,
    src_port        integer,
    dst_ip          text,
    dst_port        integer,
    app_protocol    text,
    conn_state      text,
    packets         bigint      NOT NULL,
    bytes           bigint      NOT NULL,
    community_id    text,
    record          text        NOT NULL,
    stored_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX flows_first_seen ON flows (first_seen DESC);
CREATE INDEX flows_src_ip ON flows (src_ip);
CREATE INDEX flows_dst_ip ON flows (dst_ip);
CREATE INDEX flows_dst_port ON flows (dst_port);

CREATE TABLE probes (
    probe_id        text PRIMARY KEY,
    state           text        NOT NULL,
    mode            text,
    updated_at      timestamptz NOT NULL,
    status          text        NOT NULL
);
