package engine

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/p2c/p2c/internal/journaldb"
)

// Step statuses in the journal.
const (
	StatusPending    = "pending"
	StatusRunning    = "running"
	StatusDone       = "done"
	StatusFailed     = "failed"
	StatusRolledBack = "rolled-back"
	StatusSkipped    = "skipped"
)

// JournalFile is the journal's name in the workspace.
const JournalFile = "state.db"

// schema: one row per plan step. Everything rollback and verify need is in
// the row: the input sent (verify compares against it), the identifiers
// the target returned, and the call that deletes the resource.
const schema = `
CREATE TABLE IF NOT EXISTS meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS steps (
	id          TEXT PRIMARY KEY,
	seq         INTEGER NOT NULL,
	kind        TEXT NOT NULL DEFAULT '',
	region      TEXT NOT NULL DEFAULT '',
	service     TEXT NOT NULL DEFAULT '',
	operation   TEXT NOT NULL DEFAULT '',
	rollback    TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL,
	spec_sha256 TEXT NOT NULL DEFAULT '',
	input       TEXT NOT NULL DEFAULT '',
	arn         TEXT NOT NULL DEFAULT '',
	resource_id TEXT NOT NULL DEFAULT '',
	version     TEXT NOT NULL DEFAULT '',
	outputs     TEXT NOT NULL DEFAULT '{}',
	request_ids TEXT NOT NULL DEFAULT '[]',
	undo        TEXT NOT NULL DEFAULT '',
	error       TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	attempts    INTEGER NOT NULL DEFAULT 0,
	started_at  TEXT NOT NULL DEFAULT '',
	finished_at TEXT NOT NULL DEFAULT ''
);
`

// Call is one target API call, as the journal records the undo of a step.
type Call struct {
	Service   string         `json:"service"`
	Region    string         `json:"region"`
	Operation string         `json:"operation"`
	Input     map[string]any `json:"input"`
}

// Record is a step's row in the journal.
type Record struct {
	ID         string            `json:"id"`
	Seq        int               `json:"-"`
	Kind       string            `json:"kind"`
	Region     string            `json:"region"`
	Service    string            `json:"service,omitempty"`
	Operation  string            `json:"operation,omitempty"`
	Rollback   string            `json:"rollback"`
	Status     string            `json:"status"`
	SpecSHA256 string            `json:"specSha256,omitempty"`
	Input      json.RawMessage   `json:"-"`
	ARN        string            `json:"arn,omitempty"`
	ResourceID string            `json:"resourceId,omitempty"`
	Version    string            `json:"version,omitempty"`
	Outputs    map[string]string `json:"outputs,omitempty"`
	RequestIDs []string          `json:"requestIds,omitempty"`
	Undo       *Call             `json:"undo,omitempty"`
	Error      string            `json:"error,omitempty"`
	Note       string            `json:"note,omitempty"`
	Attempts   int               `json:"attempts"`
	StartedAt  string            `json:"startedAt,omitempty"`
	FinishedAt string            `json:"finishedAt,omitempty"`
}

// Journal is state.db: what apply did, step by step.
type Journal struct {
	db   *sql.DB
	path string
}

// OpenJournal opens (creating 0600) the journal at path.
func OpenJournal(path string) (*Journal, error) {
	// A step's outcome is on disk before the next step starts.
	db, err := journaldb.Open(path, schema)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return &Journal{db: db, path: path}, nil
}

// Close closes the journal.
func (j *Journal) Close() error { return j.db.Close() }

// Meta reads a value of the journal's header ("" when unset).
func (j *Journal) Meta(key string) (string, error) {
	var v string
	err := j.db.QueryRow(`SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("journal: read %s: %w", key, err)
	}
	return v, nil
}

// SetMeta writes values of the journal's header in one transaction.
func (j *Journal) SetMeta(kv map[string]string) error {
	return j.tx(func(tx *sql.Tx) error {
		for k, v := range kv {
			if _, err := tx.Exec(`INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

func (j *Journal) tx(f func(*sql.Tx) error) error {
	tx, err := j.db.BeginTx(context.Background(), nil)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return fmt.Errorf("journal: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("journal: commit: %w", err)
	}
	return nil
}

const recordCols = `id, seq, kind, region, service, operation, rollback, status, spec_sha256, input, arn, resource_id, version, outputs, request_ids, undo, error, note, attempts, started_at, finished_at`

// Steps returns every step row in plan order.
func (j *Journal) Steps() ([]*Record, error) {
	rows, err := j.db.Query(`SELECT ` + recordCols + ` FROM steps ORDER BY seq, id`)
	if err != nil {
		return nil, fmt.Errorf("journal: read steps: %w", err)
	}
	defer rows.Close()
	var out []*Record
	for rows.Next() {
		r := &Record{}
		var input, outputs, reqIDs, undo string
		if err := rows.Scan(&r.ID, &r.Seq, &r.Kind, &r.Region, &r.Service, &r.Operation, &r.Rollback, &r.Status, &r.SpecSHA256,
			&input, &r.ARN, &r.ResourceID, &r.Version, &outputs, &reqIDs, &undo, &r.Error, &r.Note, &r.Attempts, &r.StartedAt, &r.FinishedAt); err != nil {
			return nil, fmt.Errorf("journal: read steps: %w", err)
		}
		if input != "" {
			r.Input = json.RawMessage(input)
		}
		_ = json.Unmarshal([]byte(outputs), &r.Outputs)
		_ = json.Unmarshal([]byte(reqIDs), &r.RequestIDs)
		if undo != "" {
			r.Undo = &Call{}
			if json.Unmarshal([]byte(undo), r.Undo) != nil {
				r.Undo = nil
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Put writes a step's row (insert or replace) in its own transaction.
func (j *Journal) Put(r *Record) error { return j.PutAll([]*Record{r}) }

// PutAll writes rows in one transaction.
func (j *Journal) PutAll(rs []*Record) error {
	return j.tx(func(tx *sql.Tx) error {
		for _, r := range rs {
			if err := putRecord(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

func putRecord(tx *sql.Tx, r *Record) error {
	outputs, _ := json.Marshal(r.Outputs)
	if r.Outputs == nil {
		outputs = []byte("{}")
	}
	reqIDs, _ := json.Marshal(r.RequestIDs)
	if r.RequestIDs == nil {
		reqIDs = []byte("[]")
	}
	var undo []byte
	if r.Undo != nil {
		undo, _ = json.Marshal(r.Undo)
	}
	_, err := tx.Exec(`INSERT OR REPLACE INTO steps(`+recordCols+`) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		r.ID, r.Seq, r.Kind, r.Region, r.Service, r.Operation, r.Rollback, r.Status, r.SpecSHA256, string(r.Input),
		r.ARN, r.ResourceID, r.Version, string(outputs), string(reqIDs), string(undo), r.Error, r.Note, r.Attempts, r.StartedAt, r.FinishedAt)
	return err
}

func now() string { return nowTime().Format(time.RFC3339Nano) }

func nowTime() time.Time { return time.Now().UTC() }

// ErrNoJournal: nothing was applied in the workspace yet.
var ErrNoJournal = errors.New("no journal")

// ReadJournal returns the journal's plan hash and rows.
func ReadJournal(dir string) (planSHA string, recs []*Record, err error) {
	path := dir + string(os.PathSeparator) + JournalFile
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return "", nil, fmt.Errorf("%s: %w: nothing was applied yet (run p2c apply)", path, ErrNoJournal)
	}
	j, err := OpenJournal(path)
	if err != nil {
		return "", nil, err
	}
	defer j.Close()
	if planSHA, err = j.Meta("plan_sha256"); err != nil {
		return "", nil, err
	}
	recs, err = j.Steps()
	return planSHA, recs, err
}
