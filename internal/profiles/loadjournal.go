package profiles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/p2c/p2c/internal/journaldb"
)

// The load journal: one SQLite file per shard in JournalDir, so that the
// processes of an array job can share the folder. Per input file it keeps
// a watermark (every line up to it is done: loaded, failed and listed, or
// not this shard's), the failures, and the upload jobs of the upload
// method.
const loadSchema = `
CREATE TABLE IF NOT EXISTS meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
	path      TEXT PRIMARY KEY,
	watermark INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS failures (
	path        TEXT NOT NULL,
	line        INTEGER NOT NULL,
	profile_key TEXT NOT NULL DEFAULT '',
	error       TEXT NOT NULL,
	PRIMARY KEY (path, line)
);
CREATE TABLE IF NOT EXISTS uploads (
	path      TEXT NOT NULL,
	from_line INTEGER NOT NULL,
	to_line   INTEGER NOT NULL,
	job_id    TEXT NOT NULL,
	status    TEXT NOT NULL,
	created   INTEGER NOT NULL DEFAULT 0,
	updated   INTEGER NOT NULL DEFAULT 0,
	failed    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (path, from_line)
);
`

type loadJournal struct {
	db   *sql.DB
	path string
}

// openLoadJournal opens (creating 0600) the journal of a shard.
func openLoadJournal(dir string, shard Shard) (*loadJournal, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("load journal: %w", err)
	}
	path := filepath.Join(dir, "load"+shard.Suffix()+".db")
	// A watermark on disk is a promise that those lines are in the domain.
	db, err := journaldb.Open(path, loadSchema)
	if err != nil {
		return nil, fmt.Errorf("load journal: %w", err)
	}
	return &loadJournal{db: db, path: path}, nil
}

func (j *loadJournal) Close() error { return j.db.Close() }

// checkMeta records the load's identity on first use and refuses a
// journal written for another domain, region, method or object type.
func (j *loadJournal) checkMeta(ctx context.Context, want [][2]string) error {
	for _, kv := range want {
		var have string
		err := j.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, kv[0]).Scan(&have)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := j.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)`, kv[0], kv[1]); err != nil {
				return fmt.Errorf("load journal %s: %w", j.path, err)
			}
		case err != nil:
			return fmt.Errorf("load journal %s: %w", j.path, err)
		case have != kv[1]:
			return fmt.Errorf("load journal %s was written for %s %q, this load is for %s %q: use another journal folder or the same %s",
				j.path, kv[0], have, kv[0], kv[1], kv[0])
		}
	}
	return nil
}

// watermark returns the file's checkpoint and its listed failures.
func (j *loadJournal) watermark(ctx context.Context, path string) (int64, map[int64]LoadFailure, error) {
	var wm int64
	err := j.db.QueryRowContext(ctx, `SELECT watermark FROM files WHERE path = ?`, path).Scan(&wm)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, nil, fmt.Errorf("load journal: %w", err)
	}
	rows, err := j.db.QueryContext(ctx, `SELECT line, profile_key, error FROM failures WHERE path = ?`, path)
	if err != nil {
		return 0, nil, fmt.Errorf("load journal: %w", err)
	}
	defer rows.Close()
	fails := map[int64]LoadFailure{}
	for rows.Next() {
		f := LoadFailure{File: path}
		if err := rows.Scan(&f.Line, &f.ProfileKey, &f.Error); err != nil {
			return 0, nil, fmt.Errorf("load journal: %w", err)
		}
		fails[f.Line] = f
	}
	return wm, fails, rows.Err()
}

// checkpoint stores a file's new watermark with the failures found and
// the earlier failures that now loaded, in one transaction: a failure is
// never behind the watermark without its row.
func (j *loadJournal) checkpoint(path string, wm int64, failed []LoadFailure, fixed []int64) error {
	tx, err := j.db.Begin()
	if err != nil {
		return fmt.Errorf("load journal checkpoint: %w", err)
	}
	defer tx.Rollback()
	for _, f := range failed {
		if _, err := tx.Exec(`INSERT OR REPLACE INTO failures (path, line, profile_key, error) VALUES (?, ?, ?, ?)`,
			path, f.Line, f.ProfileKey, f.Error); err != nil {
			return fmt.Errorf("load journal checkpoint: %w", err)
		}
	}
	for _, l := range fixed {
		if _, err := tx.Exec(`DELETE FROM failures WHERE path = ? AND line = ?`, path, l); err != nil {
			return fmt.Errorf("load journal checkpoint: %w", err)
		}
	}
	if _, err := tx.Exec(`INSERT INTO files (path, watermark) VALUES (?, ?)
		ON CONFLICT (path) DO UPDATE SET watermark = max(watermark, excluded.watermark)`, path, wm); err != nil {
		return fmt.Errorf("load journal checkpoint: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("load journal checkpoint: %w", err)
	}
	return nil
}

// upload returns the journaled job of a chunk (ok false when none).
func (j *loadJournal) upload(ctx context.Context, path string, from int64) (UploadJob, bool, error) {
	u := UploadJob{File: path, FromLine: from}
	err := j.db.QueryRowContext(ctx, `SELECT to_line, job_id, status, created, updated, failed FROM uploads WHERE path = ? AND from_line = ?`,
		path, from).Scan(&u.ToLine, &u.JobId, &u.Status, &u.Created, &u.Updated, &u.Failed)
	if errors.Is(err, sql.ErrNoRows) {
		return u, false, nil
	}
	if err != nil {
		return u, false, fmt.Errorf("load journal: %w", err)
	}
	return u, true, nil
}

func (j *loadJournal) saveUpload(ctx context.Context, u UploadJob) error {
	_, err := j.db.ExecContext(ctx, `INSERT OR REPLACE INTO uploads (path, from_line, to_line, job_id, status, created, updated, failed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.File, u.FromLine, u.ToLine, u.JobId, u.Status, u.Created, u.Updated, u.Failed)
	if err != nil {
		return fmt.Errorf("load journal: %w", err)
	}
	return nil
}
