-- The schema as helpcenter/insights/db.py made it before Alembic (commit 1579a0e, schema version 4):
-- metadata.create_all's DDL for postgresql, and the version it recorded. tests/test_migrations.py upgrades it.
CREATE TABLE editors (
	id SERIAL NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	session_epoch INTEGER DEFAULT '0' NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (email)
);

CREATE TABLE events (
	id SERIAL NOT NULL, 
	ts TIMESTAMP WITH TIME ZONE NOT NULL, 
	session VARCHAR(64) NOT NULL, 
	type VARCHAR(32) NOT NULL, 
	lang VARCHAR(2) NOT NULL, 
	slug VARCHAR(120) NOT NULL, 
	query TEXT NOT NULL, 
	data TEXT NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_events_ts ON events (ts);

CREATE INDEX ix_events_type ON events (type);

CREATE TABLE gap_groups (
	id SERIAL NOT NULL, 
	kind VARCHAR(24) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	label TEXT NOT NULL, 
	centroid BYTEA, 
	resolved_slug VARCHAR(120), 
	status_at TIMESTAMP WITH TIME ZONE, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE gap_members (
	query_id SERIAL NOT NULL, 
	group_id INTEGER NOT NULL, 
	PRIMARY KEY (query_id)
);

CREATE INDEX ix_gap_members_group_id ON gap_members (group_id);

CREATE TABLE gap_runs (
	id SERIAL NOT NULL, 
	ran_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	queries INTEGER NOT NULL, 
	groups INTEGER NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE login_failures (
	key VARCHAR(80) NOT NULL, 
	failures INTEGER NOT NULL, 
	last_failed_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (key)
);

CREATE TABLE outbox (
	id SERIAL NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	destination VARCHAR(16) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	ref INTEGER DEFAULT '0' NOT NULL, 
	state VARCHAR(12) NOT NULL, 
	attempts INTEGER DEFAULT '0' NOT NULL, 
	next_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	last_error TEXT DEFAULT '' NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	delivered_at TIMESTAMP WITH TIME ZONE, 
	PRIMARY KEY (id), 
	UNIQUE (ticket_id, destination, kind, ref)
);

CREATE INDEX ix_outbox_state ON outbox (state);

CREATE INDEX ix_outbox_ticket_id ON outbox (ticket_id);

CREATE TABLE queries (
	id SERIAL NOT NULL, 
	ts TIMESTAMP WITH TIME ZONE NOT NULL, 
	session VARCHAR(64) NOT NULL, 
	kind VARCHAR(8) NOT NULL, 
	lang VARCHAR(2) NOT NULL, 
	query TEXT NOT NULL, 
	answered BOOLEAN NOT NULL, 
	fallback BOOLEAN NOT NULL, 
	results TEXT NOT NULL, 
	confidence FLOAT NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_queries_answered ON queries (answered);

CREATE INDEX ix_queries_ts ON queries (ts);

CREATE TABLE schema_info (
	key VARCHAR(32) NOT NULL, 
	value VARCHAR(64) NOT NULL, 
	PRIMARY KEY (key)
);

CREATE TABLE ticket_replies (
	id SERIAL NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	ts TIMESTAMP WITH TIME ZONE NOT NULL, 
	body TEXT NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_ticket_replies_ticket_id ON ticket_replies (ticket_id);

CREATE TABLE tickets (
	id SERIAL NOT NULL, 
	uid VARCHAR(32) NOT NULL, 
	number VARCHAR(16) NOT NULL, 
	ts TIMESTAMP WITH TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITH TIME ZONE, 
	session VARCHAR(64) NOT NULL, 
	visit VARCHAR(64) DEFAULT '' NOT NULL, 
	lang VARCHAR(2) NOT NULL, 
	category VARCHAR(40) NOT NULL, 
	subject TEXT NOT NULL, 
	description TEXT NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	suggested TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (uid), 
	UNIQUE (number)
);

CREATE INDEX ix_tickets_ts ON tickets (ts);

INSERT INTO schema_info (key, value) VALUES ('version', '4');
